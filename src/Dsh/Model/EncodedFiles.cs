using Dsh.Data;
using Dsh.Hashing;

namespace Dsh.Model;

/// <summary>
/// What a batch encoder that skips bad files returned: the codes of the files it could read, which input each code
/// belongs to, and the files it skipped with the reason.
/// </summary>
public sealed class EncodedFiles
{
    /// <summary>Creates a result.</summary>
    /// <param name="codes">The codes of the encoded files.</param>
    /// <param name="indexes">For each code, its file's position in the input.</param>
    /// <param name="skipped">The files not encoded, and why.</param>
    /// <exception cref="ArgumentException">There are not as many indexes as codes.</exception>
    public EncodedFiles(BinaryCodeSet codes, IReadOnlyList<int> indexes, IReadOnlyList<SkippedFile> skipped)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(indexes);
        ArgumentNullException.ThrowIfNull(skipped);
        if (indexes.Count != codes.Count)
        {
            throw new ArgumentException($"{indexes.Count} indexes for {codes.Count} codes.", nameof(indexes));
        }
        Codes = codes;
        Indexes = indexes;
        Skipped = skipped;
    }

    /// <summary>The codes of the encoded files, in input order (may hold no code when every file was skipped).</summary>
    public BinaryCodeSet Codes { get; }

    /// <summary>For each row of <see cref="Codes"/>, the position of its file in the input.</summary>
    public IReadOnlyList<int> Indexes { get; }

    /// <summary>The files that were not encoded, in input order: the path as given and why (one line).</summary>
    public IReadOnlyList<SkippedFile> Skipped { get; }
}
