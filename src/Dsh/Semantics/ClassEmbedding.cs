using Dsh.Native;
using static TorchSharp.torch;

namespace Dsh.Semantics;

/// <summary>
/// One semantic vector per category, the φ(Y) of the DSH semantic factorisation term ‖Φ − D·B‖². Built by
/// <see cref="ClassEmbeddings"/> from a word2vec or GloVe file, from WordNet, or as one-hot indicators; immutable.
/// <see cref="ToTensor"/> gives the [d, c] matrix that <see cref="DshCodeProblem"/> takes.
/// </summary>
public sealed class ClassEmbedding
{
    private readonly float[][] _vectors;

    internal ClassEmbedding(
        IReadOnlyList<string> categories,
        float[][] vectors,
        string source,
        IReadOnlyList<string> missingWords,
        IReadOnlyList<string> uncoveredCategories,
        bool includesOneHot)
    {
        if (vectors.Length != categories.Count || vectors.Length == 0)
        {
            throw new ArgumentException("One vector per category is needed.", nameof(vectors));
        }
        int dimension = vectors[0].Length;
        if (dimension < 1 || vectors.Any(v => v.Length != dimension))
        {
            throw new ArgumentException("All vectors must have the same dimension ≥ 1.", nameof(vectors));
        }
        Categories = categories.ToArray();
        _vectors = vectors;
        Dimension = dimension;
        Source = source;
        MissingWords = missingWords.ToArray();
        UncoveredCategories = uncoveredCategories.ToArray();
        IncludesOneHot = includesOneHot;
    }

    /// <summary>The category names, in the order given (column i of <see cref="ToTensor"/> is category i).</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>Length d of every vector.</summary>
    public int Dimension { get; }

    /// <summary>
    /// Where the vectors came from: <c>word2vec-text:PATH</c>, <c>word2vec-binary:PATH</c>, <c>glove:PATH</c>,
    /// <c>wordnet:DIRECTORY</c> or <c>one-hot</c>; <see cref="WithOneHotFallback"/> appends <c>+one-hot</c>.
    /// </summary>
    public string Source { get; }

    /// <summary>Lower-case words (for WordNet: lemmas) that the source does not contain, each once, in order of first use.</summary>
    public IReadOnlyList<string> MissingWords { get; }

    /// <summary>
    /// Categories none of whose words the source contains. Their word part is all-zero: on its own such a class has
    /// no semantic target; <see cref="WithOneHotFallback"/> makes every class distinguishable again (and this list still
    /// says which classes the source did not cover).
    /// </summary>
    public IReadOnlyList<string> UncoveredCategories { get; }

    /// <summary>True when the vectors contain class indicators (<see cref="ClassEmbeddings.OneHot"/> or after <see cref="WithOneHotFallback"/>).</summary>
    public bool IncludesOneHot { get; }

    /// <summary>A copy of one category's vector.</summary>
    /// <param name="category">Index into <see cref="Categories"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="category"/> is not in [0, c).</exception>
    public float[] Vector(int category)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(category);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(category, _vectors.Length);
        return (float[])_vectors[category].Clone();
    }

    /// <summary>
    /// The vectors as a new float64 CPU tensor [<see cref="Dimension"/>, c] whose column i is category i, the layout
    /// <see cref="DshCodeProblem"/> expects for its <c>classVectors</c>. The caller owns (disposes) it.
    /// </summary>
    public Tensor ToTensor()
    {
        TorchRuntime.EnsureLoaded();
        int c = _vectors.Length;
        var data = new double[(long)Dimension * c];
        for (int j = 0; j < c; j++)
        {
            float[] v = _vectors[j];
            for (int i = 0; i < Dimension; i++)
            {
                data[(long)i * c + j] = v[i];
            }
        }
        return tensor(data, new long[] { Dimension, c }, ScalarType.Float64);
    }

    /// <summary>
    /// When some categories are uncovered (all-zero vectors), returns a new embedding whose vector i is
    /// [vᵢ ; eᵢ] scaled to unit norm (eᵢ the one-hot indicator of class i): covered classes keep their relative
    /// geometry (cosines halve), uncovered ones get a unit indicator, and every class is distinguishable.
    /// Otherwise (nothing uncovered, or indicators already present) returns this instance.
    /// </summary>
    public ClassEmbedding WithOneHotFallback()
    {
        if (UncoveredCategories.Count == 0 || IncludesOneHot)
        {
            return this;
        }
        int c = _vectors.Length;
        var vectors = new float[c][];
        for (int j = 0; j < c; j++)
        {
            var v = new double[Dimension + c];
            for (int i = 0; i < Dimension; i++)
            {
                v[i] = _vectors[j][i];
            }
            v[Dimension + j] = 1;
            vectors[j] = VectorMath.Normalize(v);
        }
        return new ClassEmbedding(Categories, vectors, Source + "+one-hot", MissingWords, UncoveredCategories, includesOneHot: true);
    }

    /// <summary>One line for logs: source, sizes, missing words and uncovered categories.</summary>
    public override string ToString()
    {
        string text = $"{Source}: {Categories.Count} categories, d = {Dimension}";
        if (MissingWords.Count > 0)
        {
            text += $"; missing words: {string.Join(", ", MissingWords)}";
        }
        if (UncoveredCategories.Count > 0)
        {
            text += $"; uncovered categories: {string.Join(", ", UncoveredCategories)}";
        }
        return text;
    }
}
