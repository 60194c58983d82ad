namespace Dsh.Semantics;

/// <summary>
/// Builds <see cref="ClassEmbedding"/>s — one semantic vector per category for the DSH semantic term — from
/// word2vec (text or binary) and GloVe files, from the WordNet 3.0 noun hierarchy, or as one-hot indicators.
/// Category names are lower-cased and split into words on white space, '_', '-', '(', ')', ',' and '/'; stop-words
/// ("the", "of", …) are dropped; a category's vector is the mean of its found words' vectors, L2-normalised.
/// Files are streamed (plain or gzip) and only the needed words are kept. See docs/semantics.md.
/// </summary>
public static class ClassEmbeddings
{
    /// <summary>Reads a word2vec text file: a header line "count dim", then one "word v1 … vd" line per word.</summary>
    /// <param name="path">The file (may be gzip-compressed).</param>
    /// <param name="categories">Category names, distinct, at least one.</param>
    /// <exception cref="ArgumentException">No categories, a blank name or a duplicate.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A malformed file; the message names the path and the line.</exception>
    public static ClassEmbedding FromWord2VecText(string path, IReadOnlyList<string> categories) =>
        WordVectorTextReader.Read(path, categories, hasHeader: true);

    /// <summary>
    /// Reads a word2vec binary file: a header line "count dim\n", then per word its UTF-8 text, a space, dim
    /// little-endian float32 values and an optional '\n'.
    /// </summary>
    /// <param name="path">The file (may be gzip-compressed).</param>
    /// <param name="categories">Category names, distinct, at least one.</param>
    /// <exception cref="ArgumentException">No categories, a blank name or a duplicate.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A malformed or truncated file; the message names the path and the record.</exception>
    public static ClassEmbedding FromWord2VecBinary(string path, IReadOnlyList<string> categories) =>
        WordVectorBinaryReader.Read(path, categories);

    /// <summary>Reads a GloVe text file: no header, one "word v1 … vd" line per word (d from the first line).</summary>
    /// <param name="path">The file (may be gzip-compressed).</param>
    /// <param name="categories">Category names, distinct, at least one.</param>
    /// <exception cref="ArgumentException">No categories, a blank name or a duplicate.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A malformed file; the message names the path and the line.</exception>
    public static ClassEmbedding FromGloVe(string path, IReadOnlyList<string> categories) =>
        WordVectorTextReader.Read(path, categories, hasHeader: false);

    /// <summary>
    /// Builds vectors from the WordNet 3.0 noun hierarchy — by default the noun table built into the library, so every
    /// machine gets the same vectors with nothing installed: each category's first noun sense that is a physical object
    /// (else its first sense) and all its hypernyms
    /// up to "entity", as a depth-weighted indicator over the union of those synsets, L2-normalised (so dog and horse
    /// end closer than dog and guitar). Categories with no noun in WordNet are uncovered (zero vectors).
    /// </summary>
    /// <param name="categories">Category names, distinct, at least one.</param>
    /// <param name="databaseDirectory">Null (default): the built-in table (<see cref="ClassEmbedding.Source"/> "wordnet"). Else a
    /// directory holding a WordNet database's index.noun and data.noun (source "wordnet:DIRECTORY").</param>
    /// <exception cref="ArgumentException">No categories, a blank name or a duplicate.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">index.noun or data.noun is missing.</exception>
    /// <exception cref="InvalidDataException">A malformed database file.</exception>
    public static ClassEmbedding FromWordNet(IReadOnlyList<string> categories, string? databaseDirectory = null) =>
        WordNetEmbedding.Build(categories, databaseDirectory);

    /// <summary>
    /// One-hot indicators: vector i is the i-th unit vector, d = c. The semantic term ‖Y − D·B‖² then asks a linear
    /// map of the codes to recover each item's class (a linear classifier on the codes) instead of pulling related
    /// classes together.
    /// </summary>
    /// <param name="categories">Category names, distinct, at least one.</param>
    /// <exception cref="ArgumentException">No categories, a blank name or a duplicate.</exception>
    public static ClassEmbedding OneHot(IReadOnlyList<string> categories)
    {
        string[] names = CategoryWords.Validate(categories, nameof(categories));
        var vectors = new float[names.Length][];
        for (int i = 0; i < names.Length; i++)
        {
            vectors[i] = new float[names.Length];
            vectors[i][i] = 1;
        }
        return new ClassEmbedding(names, vectors, "one-hot", [], [], includesOneHot: true);
    }

    /// <summary>
    /// Reads a word-vector file, detecting its format: a name ending in ".bin" (or ".bin.gz") is word2vec binary; a
    /// text file whose first line is two integers is word2vec text; any other text file is GloVe.
    /// </summary>
    /// <param name="path">The file (may be gzip-compressed).</param>
    /// <param name="categories">Category names, distinct, at least one.</param>
    /// <exception cref="ArgumentException">No categories, a blank name or a duplicate.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A malformed file.</exception>
    public static ClassEmbedding Load(string path, IReadOnlyList<string> categories)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        CategoryWords.Validate(categories, nameof(categories));
        if (EmbeddingFile.HasBinaryName(path))
        {
            return FromWord2VecBinary(path, categories);
        }
        return EmbeddingFile.HasWord2VecHeader(path) ? FromWord2VecText(path, categories) : FromGloVe(path, categories);
    }

    /// <summary>
    /// The embedding a trainer should use for a source setting, never failing silently: <c>null</c>, "onehot" or
    /// "one-hot" → <see cref="OneHot"/>; "wordnet" → <see cref="FromWordNet"/> on the built-in table; "wordnet:DIRECTORY"
    /// → on an installed database; anything else is a word-vector file path for <see cref="Load"/>. Uncovered categories get <see cref="ClassEmbedding.WithOneHotFallback"/>, so every class
    /// keeps a distinct target; <see cref="ClassEmbedding.Source"/>, <see cref="ClassEmbedding.MissingWords"/> and
    /// <see cref="ClassEmbedding.UncoveredCategories"/> say what happened (log <see cref="ClassEmbedding.ToString"/>).
    /// </summary>
    /// <param name="categories">Category names, distinct, at least one.</param>
    /// <param name="source">Null, "onehot", "one-hot", "wordnet", "wordnet:DIRECTORY" or a word-vector file path.</param>
    /// <exception cref="ArgumentException">No categories, a blank name or a duplicate.</exception>
    /// <exception cref="FileNotFoundException">The file, or a WordNet database file, does not exist.</exception>
    /// <exception cref="DirectoryNotFoundException">The WordNet directory does not exist.</exception>
    /// <exception cref="InvalidDataException">The file or database is malformed.</exception>
    public static ClassEmbedding Resolve(IReadOnlyList<string> categories, string? source = null)
    {
        string? s = string.IsNullOrWhiteSpace(source) ? null : source.Trim();
        ClassEmbedding embedding = s switch
        {
            null or "one-hot" or "onehot" => OneHot(categories),
            "wordnet" => FromWordNet(categories),
            _ when s.StartsWith("wordnet:", StringComparison.Ordinal) => FromWordNet(categories, s["wordnet:".Length..]),
            _ => Load(s, categories),
        };
        return embedding.WithOneHotFallback();
    }
}
