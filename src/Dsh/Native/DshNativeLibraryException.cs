namespace Dsh.Native;

/// <summary>
/// TorchSharp's native library (<c>libLibTorchSharp</c> and libtorch) could not be loaded. The message says
/// what is missing (the loader's own error) and how to fix it.
/// </summary>
public sealed class DshNativeLibraryException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public DshNativeLibraryException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>The native library file that failed to load, when one was found.</summary>
    public string? LibraryPath { get; init; }

    /// <summary>The dynamic loader's error text (for example <c>dlerror()</c>), when one was obtained.</summary>
    public string? LoaderError { get; init; }
}
