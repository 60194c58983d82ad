namespace Dsh.Cli;

/// <summary>A bad argument found after parsing (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Input data that cannot be used: empty folders, no images, a corrupt file (exit code 3).</summary>
internal sealed class InputDataException(string message, Exception? inner = null) : Exception(message, inner);
