using Dsh.Hashing;

namespace Dsh;

/// <summary>
/// What a batch encoder that skips bad files returned: the codes of the files it could read, which input each code
/// belongs to, and the files it skipped with the reason.
/// </summary>
public sealed class EncodedFiles
{
    internal EncodedFiles(BinaryCodeSet codes, IReadOnlyList<int> indexes, IReadOnlyList<SkippedFile> skipped)
    {
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
