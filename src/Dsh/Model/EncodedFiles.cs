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
        : this(codes, indexes, skipped, embeddings: null)
    {
    }

    /// <summary>Creates a result that also holds each code's real-valued network output.</summary>
    /// <param name="codes">The codes of the encoded files.</param>
    /// <param name="indexes">For each code, its file's position in the input.</param>
    /// <param name="skipped">The files not encoded, and why.</param>
    /// <param name="embeddings">For each code, the network output it is the sign of (as long as the code), or null.</param>
    /// <exception cref="ArgumentException">There are not as many indexes (or embeddings) as codes, or an embedding has another length.</exception>
    public EncodedFiles(BinaryCodeSet codes, IReadOnlyList<int> indexes, IReadOnlyList<SkippedFile> skipped, IReadOnlyList<float[]>? embeddings)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(indexes);
        ArgumentNullException.ThrowIfNull(skipped);
        if (indexes.Count != codes.Count)
        {
            throw new ArgumentException($"{indexes.Count} indexes for {codes.Count} codes.", nameof(indexes));
        }
        if (embeddings is not null && (embeddings.Count != codes.Count || embeddings.Any(e => e is null || e.Length != codes.CodeLength)))
        {
            throw new ArgumentException($"Give one embedding of {codes.CodeLength} values for each of the {codes.Count} codes.", nameof(embeddings));
        }
        Codes = codes;
        Indexes = indexes;
        Skipped = skipped;
        Embeddings = embeddings;
    }

    /// <summary>
    /// For each row of <see cref="Codes"/>, the real-valued network output whose signs are that code; null unless the
    /// encoder was asked for them (<see cref="DshModel.EmbedSketchFiles"/>, <see cref="DshModel.EmbedPhotoFiles"/>).
    /// </summary>
    public IReadOnlyList<float[]>? Embeddings { get; }

    /// <summary>The codes of the encoded files, in input order (may hold no code when every file was skipped).</summary>
    public BinaryCodeSet Codes { get; }

    /// <summary>For each row of <see cref="Codes"/>, the position of its file in the input.</summary>
    public IReadOnlyList<int> Indexes { get; }

    /// <summary>The files that were not encoded, in input order: the path as given and why (one line).</summary>
    public IReadOnlyList<SkippedFile> Skipped { get; }
}
