namespace Dsh.Semantics;

/// <summary>
/// The words a set of categories needs from a word-vector file, and the vectors found for them while the file is
/// streamed. Lookup is case-insensitive; an exact lower-case entry wins over any other casing, otherwise the first
/// case-insensitive entry is kept. Builds the <see cref="ClassEmbedding"/> at the end (mean of the found words, L2-normalised).
/// </summary>
internal sealed class WordVectorLookup
{
    private readonly string[] _categories;
    private readonly IReadOnlyList<string>[] _words;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private int _exactMissing;

    public WordVectorLookup(IReadOnlyList<string> categories)
    {
        _categories = CategoryWords.Validate(categories, nameof(categories));
        _words = _categories.Select(CategoryWords.Words).ToArray();
        foreach (string word in _words.SelectMany(w => w))
        {
            _entries.TryAdd(word, new Entry(word));
        }
        _exactMissing = _entries.Count;
        _lookup = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>True once every needed word has its exact lower-case entry: the rest of the file cannot change the result.</summary>
    public bool Complete => _exactMissing == 0;

    /// <summary>Whether the vector of <paramref name="word"/> (as spelled in the file) is needed; if so, pass the slot to <see cref="Accept"/>.</summary>
    public bool Wants(ReadOnlySpan<char> word, out Slot slot)
    {
        slot = default;
        if (!_lookup.TryGetValue(word, out Entry? entry))
        {
            return false;
        }
        bool exact = word.SequenceEqual(entry.Word);
        if (entry.Exact != null || (!exact && entry.Insensitive != null))
        {
            return false;
        }
        slot = new Slot(entry, exact);
        return true;
    }

    /// <summary>Records the vector for a slot returned by <see cref="Wants"/>.</summary>
    public void Accept(Slot slot, float[] vector)
    {
        if (slot.Exact)
        {
            slot.Entry.Exact = vector;
            _exactMissing--;
        }
        else
        {
            slot.Entry.Insensitive = vector;
        }
    }

    /// <summary>Builds the embedding: per category the mean of its found words' vectors, L2-normalised.</summary>
    public ClassEmbedding Build(string source, int dimension)
    {
        var vectors = new float[_categories.Length][];
        var missing = new List<string>();
        var uncovered = new List<string>();
        for (int c = 0; c < _categories.Length; c++)
        {
            var sum = new double[dimension];
            int found = 0;
            foreach (string word in _words[c])
            {
                float[]? v = _entries[word].Exact ?? _entries[word].Insensitive;
                if (v == null)
                {
                    if (!missing.Contains(word))
                    {
                        missing.Add(word);
                    }
                    continue;
                }
                found++;
                for (int i = 0; i < dimension; i++)
                {
                    sum[i] += v[i];
                }
            }
            // The mean's direction is the sum's direction: normalising the sum is normalising the mean.
            vectors[c] = VectorMath.Normalize(sum);
            if (found == 0 || vectors[c].All(x => x == 0))
            {
                uncovered.Add(_categories[c]);
            }
        }
        return new ClassEmbedding(_categories, vectors, source, missing, uncovered, includesOneHot: false);
    }

    /// <summary>A needed word and whether the file's spelling was the exact lower-case form.</summary>
    public readonly record struct Slot(Entry Entry, bool Exact);

    /// <summary>The vectors found for one lower-case word.</summary>
    public sealed class Entry(string word)
    {
        public string Word { get; } = word;

        public float[]? Exact { get; set; }

        public float[]? Insensitive { get; set; }
    }
}
