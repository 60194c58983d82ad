namespace Dsh.Semantics;

/// <summary>
/// Builds class vectors from the WordNet noun hierarchy. Each category maps to the first (most frequent) noun sense
/// of its lemma that is a physical object (else the first sense); its features are every synset on every hypernym ("@") and instance-hypernym ("@i") path from that
/// sense up to the root "entity", the sense itself included. The vector is an indicator over the union of all the
/// categories' synsets, each present synset weighted by (its depth + 1) — depth = the length of the shortest hypernym
/// path to the root — so that shared specific ancestors (mammal, placental) weigh more than shared generic ones
/// (object, entity); then L2-normalised.
/// </summary>
internal static class WordNetEmbedding
{
    /// <summary>From the table built into the library (<paramref name="databaseDirectory"/> null) or an installed database.</summary>
    public static ClassEmbedding Build(IReadOnlyList<string> categories, string? databaseDirectory)
    {
        CategoryWords.Validate(categories, nameof(categories));
        if (databaseDirectory is null)
        {
            return Build(categories, WordNetTable.BuiltIn);
        }
        using WordNetDatabase database = WordNetDatabase.Open(databaseDirectory);
        return Build(categories, database);
    }

    public static ClassEmbedding Build(IReadOnlyList<string> categories, IWordNetNouns db)
    {
        string[] names = CategoryWords.Validate(categories, nameof(categories));

        var candidates = names.Select(name => Candidates(name, db)).ToArray();
        var lemmaSet = candidates.SelectMany(c => c).ToHashSet(StringComparer.Ordinal);
        Dictionary<string, long[]> found = db.FindLemmas(lemmaSet);

        var missing = new List<string>();
        var uncovered = new List<string>();
        var closures = new Dictionary<long, int>?[names.Length];
        for (int c = 0; c < names.Length; c++)
        {
            string full = FullLemma(names[c]);
            string? lemma = candidates[c].FirstOrDefault(found.ContainsKey);
            if (lemma == null || !IsFormOf(lemma, full, db))
            {
                AddOnce(missing, full);
            }
            if (lemma == null)
            {
                uncovered.Add(names[c]);
                continue;
            }
            closures[c] = ChooseSense(db, found[lemma]);
        }

        var union = closures.Where(x => x != null).SelectMany(x => x!.Keys).Distinct().Order().ToArray();
        var column = new Dictionary<long, int>(union.Length);
        for (int i = 0; i < union.Length; i++)
        {
            column[union[i]] = i;
        }
        int dimension = Math.Max(1, union.Length);
        var vectors = new float[names.Length][];
        for (int c = 0; c < names.Length; c++)
        {
            var v = new double[dimension];
            foreach (var (offset, depth) in closures[c] ?? [])
            {
                v[column[offset]] = depth + 1;
            }
            vectors[c] = VectorMath.Normalize(v);
        }
        return new ClassEmbedding(names, vectors, db.Source, missing, uncovered, includesOneHot: false);
    }

    /// <summary>The lemma for the whole name: its words joined with '_' (WordNet's spelling of multi-word lemmas).</summary>
    private static string FullLemma(string name) => string.Join("_", CategoryWords.Words(name));

    /// <summary>
    /// Lemmas to try, best first: the name as written (spaces → '_', hyphens kept: "t-shirt"), the words joined with
    /// '_' ("teddy_bear"), then the head word (the last word: "wine bottle" → "bottle"); each followed by its base forms.
    /// </summary>
    private static IReadOnlyList<string> Candidates(string name, IWordNetNouns db)
    {
        IReadOnlyList<string> words = CategoryWords.Words(name);
        string asWritten = string.Join("_", name.Trim().ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var list = new List<string>();
        foreach (string lemma in new[] { asWritten, string.Join("_", words), words.Count > 0 ? words[^1] : "" })
        {
            if (lemma.Length == 0)
            {
                continue;
            }
            AddOnce(list, lemma);
            foreach (string form in db.BaseForms(lemma))
            {
                AddOnce(list, form);
            }
        }
        return list;
    }

    /// <summary>Whether the lemma found stands for the whole name (not only its head word).</summary>
    private static bool IsFormOf(string lemma, string full, IWordNetNouns db) =>
        lemma.Replace('-', '_') == full || db.BaseForms(full).Contains(lemma) || !full.Contains('_');

    /// <summary>
    /// The ancestors of the first (most frequent) sense that is a physical object — object.n.01, "object,
    /// physical_object", among its hypernyms: something that can be drawn and photographed ("saw" the tool, not the
    /// saying) — else of the first sense.
    /// </summary>
    private static Dictionary<long, int> ChooseSense(IWordNetNouns db, long[] senses)
    {
        Dictionary<long, int>? first = null;
        foreach (long sense in senses)
        {
            var ancestors = Ancestors(db, sense);
            first ??= ancestors;
            if (ancestors.Keys.Any(a => db.Synset(a).Words.Contains(PhysicalObject, StringComparer.OrdinalIgnoreCase)))
            {
                return ancestors;
            }
        }
        return first!;
    }

    private const string PhysicalObject = "physical_object";

    /// <summary>Every synset on every hypernym path from <paramref name="start"/> to a root, with its depth (shortest path to a root).</summary>
    private static Dictionary<long, int> Ancestors(IWordNetNouns db, long start)
    {
        var seen = new HashSet<long> { start };
        var queue = new Queue<long>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            foreach (long parent in db.Synset(queue.Dequeue()).Hypernyms)
            {
                if (seen.Add(parent))
                {
                    queue.Enqueue(parent);
                }
            }
        }
        var depths = new Dictionary<long, int>();
        foreach (long offset in seen)
        {
            Depth(db, offset, depths, []);
        }
        return depths;
    }

    private static int Depth(IWordNetNouns db, long offset, Dictionary<long, int> depths, HashSet<long> onPath)
    {
        if (depths.TryGetValue(offset, out int known))
        {
            return known;
        }
        if (!onPath.Add(offset))
        {
            throw new InvalidDataException($"{db.Source}: the hypernyms of synset {offset:D8} form a cycle.");
        }
        var parents = db.Synset(offset).Hypernyms;
        int depth = parents.Count == 0 ? 0 : 1 + parents.Min(p => Depth(db, p, depths, onPath));
        onPath.Remove(offset);
        depths[offset] = depth;
        return depth;
    }

    private static void AddOnce(List<string> list, string item)
    {
        if (!list.Contains(item))
        {
            list.Add(item);
        }
    }
}
