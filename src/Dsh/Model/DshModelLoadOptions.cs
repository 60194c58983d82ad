using System.Globalization;

namespace Dsh.Model;

/// <summary>
/// Limits <see cref="DshModel.Load(string, DshModelLoadOptions)"/> applies to a model file before it builds or
/// allocates what the file describes. A file's checksum only detects damage, not tampering (anyone can recompute
/// it), so a file from an untrusted source could otherwise ask for a network of any size; a file over a limit is
/// refused with an <see cref="InvalidDataException"/> that names the count and the limit. The defaults admit
/// every network the built-in profiles make, at every code length; raise them for a bigger custom architecture.
/// <see cref="Validated"/> checks every field.
/// </summary>
public sealed record DshModelLoadOptions
{
    /// <summary>
    /// The default <see cref="MaxParameters"/>: 512 million. The largest built-in network,
    /// <see cref="DshArchitecture.Paper"/> at the 4,096-bit maximum code length, has 293,960,896 parameters
    /// (281,763,264 at 128 bits); 512 million leaves room for wider custom heads while keeping the weights under 2 GB.
    /// </summary>
    public const long DefaultMaxParameters = 512_000_000;

    /// <summary>
    /// The default <see cref="MaxStateBytes"/>: 4 GiB, the float32 weights of <see cref="DefaultMaxParameters"/>
    /// parameters (2,048,000,000 bytes) with room to spare for batch-norm statistics.
    /// </summary>
    public const long DefaultMaxStateBytes = 4L << 30;

    /// <summary>The default <see cref="MaxHeaderBytes"/>: 16 MiB (a real header is a few kilobytes).</summary>
    public const int DefaultMaxHeaderBytes = 16 << 20;

    /// <summary>The default limits.</summary>
    public static DshModelLoadOptions Default { get; } = new();

    /// <summary>
    /// The most learnable parameters (<see cref="DshArchitecture.ParameterCount"/>) the architecture in a file's
    /// header may have (default <see cref="DefaultMaxParameters"/>). Checked before any network is built.
    /// </summary>
    public long MaxParameters { get; init; } = DefaultMaxParameters;

    /// <summary>
    /// The most bytes the network's <c>state_dict</c> (<see cref="DshArchitecture.StateByteCount"/>: parameters and
    /// batch-norm statistics) may take (default <see cref="DefaultMaxStateBytes"/>). Checked before any network is built.
    /// </summary>
    public long MaxStateBytes { get; init; } = DefaultMaxStateBytes;

    /// <summary>The largest JSON header, in bytes, a file may have (default <see cref="DefaultMaxHeaderBytes"/>). Checked before it is read.</summary>
    public int MaxHeaderBytes { get; init; } = DefaultMaxHeaderBytes;

    /// <summary>Checks every field; returns this.</summary>
    /// <exception cref="ArgumentException">A limit is below 1; the message names it.</exception>
    public DshModelLoadOptions Validated()
    {
        if (MaxParameters < 1)
        {
            throw new ArgumentException($"DshModelLoadOptions.MaxParameters must be at least 1, not {MaxParameters}.", nameof(MaxParameters));
        }
        if (MaxStateBytes < 1)
        {
            throw new ArgumentException($"DshModelLoadOptions.MaxStateBytes must be at least 1, not {MaxStateBytes}.", nameof(MaxStateBytes));
        }
        if (MaxHeaderBytes < 2)
        {
            throw new ArgumentException(
                $"DshModelLoadOptions.MaxHeaderBytes must be at least 2 (the shortest JSON object), not {MaxHeaderBytes}.", nameof(MaxHeaderBytes));
        }
        return this;
    }

    /// <summary>
    /// Refuses an architecture over <see cref="MaxParameters"/> or <see cref="MaxStateBytes"/>, before anything is built.
    /// </summary>
    /// <exception cref="InvalidDataException">Over a limit; the message names <paramref name="path"/>, the count and the limit.</exception>
    internal void CheckBudget(DshArchitecture architecture, string path)
    {
        long parameters = architecture.ParameterCount;
        if (parameters > MaxParameters)
        {
            throw new InvalidDataException(
                $"{path}: the architecture in its header has {Count(parameters)} parameters, more than the load limit of " +
                $"{Count(MaxParameters)} (DshModelLoadOptions.MaxParameters); the network was not built.");
        }
        long bytes = architecture.StateByteCount;
        if (bytes > MaxStateBytes)
        {
            throw new InvalidDataException(
                $"{path}: the architecture in its header holds {Count(bytes)} bytes of weights and statistics, more than the load limit of " +
                $"{Count(MaxStateBytes)} (DshModelLoadOptions.MaxStateBytes); the network was not built.");
        }
    }

    private static string Count(long value) =>
        value == long.MaxValue ? "more than 9.2e18" : value.ToString("N0", CultureInfo.InvariantCulture);
}
