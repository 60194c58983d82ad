using System.Text;

namespace Dsh.Tests.Semantics;

/// <summary>
/// Writes a tiny WordNet database in the real WordNet 3.0 file format (wndb(5)) — licence header lines starting
/// with two spaces, data.noun records whose first field is their own byte offset, index.noun lines sorted by lemma,
/// noun.exc — so the parser is tested independently of the installed package.
/// </summary>
internal sealed class WordNetFixture
{
    private readonly List<Synset> _synsets = [];

    /// <summary>The byte offset of each synset in data.noun, by key, once written.</summary>
    public Dictionary<string, long> Offsets { get; } = [];

    /// <summary>The standard fixture: animals, artifacts, an instance hypernym, a second sense, multi-word lemmas.</summary>
    public static WordNetFixture Standard()
    {
        var f = new WordNetFixture();
        f.Add("entity", ["entity"], [], gloss: "that which is perceived or known");
        f.Add("physical_entity", ["physical_entity"], ["entity"]);
        f.Add("object", ["object", "physical_object"], ["physical_entity"]);
        f.Add("whole", ["whole", "unit"], ["object"]);
        f.Add("living_thing", ["living_thing", "animate_thing"], ["whole"]);
        f.Add("organism", ["organism", "being"], ["living_thing"]);
        f.Add("animal", ["animal", "animate_being", "beast"], ["organism"]);
        f.Add("domestic_animal", ["domestic_animal"], ["animal"]);
        f.Add("mammal", ["mammal"], ["animal"]);
        f.Add("placental", ["placental", "eutherian"], ["mammal"]);
        f.Add("canine", ["canine", "canid"], ["placental"]);
        f.Add("dog", ["dog", "domestic_dog", "Canis_familiaris"], ["canine", "domestic_animal"], extra: [("~", "puppy"), ("#m", "pack"), ("%p", "flag")]);
        f.Add("puppy", ["puppy"], ["dog"]);
        f.Add("pack", ["pack"], ["whole"]);
        f.Add("flag", ["flag"], ["whole"]);
        f.Add("equine", ["equine", "equid"], ["placental"]);
        f.Add("horse", ["horse", "Equus_caballus"], ["equine", "domestic_animal"]);
        f.Add("bear", ["bear"], ["placental"]);
        f.Add("mouse", ["mouse"], ["placental"]);
        f.Add("person", ["person", "individual"], ["organism"]);
        f.Add("frump", ["frump", "dog"], ["person"]);
        f.Add("abstraction", ["abstraction", "abstract_entity"], ["entity"]);
        f.Add("saying", ["saying", "expression", "saw"], ["abstraction"]);
        f.Add("artifact", ["artifact", "artefact"], ["whole"]);
        f.Add("instrument", ["instrument"], ["artifact"]);
        f.Add("musical_instrument", ["musical_instrument", "instrument"], ["instrument"]);
        f.Add("guitar", ["guitar"], ["musical_instrument"]);
        f.Add("saw", ["saw"], ["instrument"]);
        f.Add("teddy", ["teddy", "teddy_bear"], ["artifact"]);
        f.Add("structure", ["structure", "construction"], ["artifact"]);
        f.Add("tower", ["tower"], ["structure"]);
        f.Add("eiffel_tower", ["Eiffel_Tower"], [], instanceOf: ["tower"]);
        f.Add("t-shirt", ["T-shirt", "tee_shirt"], ["artifact"]);
        return f;
    }

    /// <summary>Adds a synset: its words, its hypernyms ("@"), instance hypernyms ("@i") and other pointers, all by key.</summary>
    public void Add(string key, string[] words, string[] hypernyms, string[]? instanceOf = null, (string Symbol, string Key)[]? extra = null, string gloss = "a gloss; \"with quotes\"")
    {
        var pointers = hypernyms.Select(h => ("@", h)).Concat((instanceOf ?? []).Select(h => ("@i", h))).Concat(extra ?? []).ToArray();
        _synsets.Add(new Synset(key, words, pointers, gloss));
    }

    /// <summary>Writes index.noun, data.noun and noun.exc into <paramref name="directory"/>; senses listed in the order added.</summary>
    public string Write(string directory)
    {
        Directory.CreateDirectory(directory);
        string licence = string.Concat(Enumerable.Range(1, 3).Select(i => $"  {i} WordNet Release 3.0 fixture, line {i} of the licence.  \n"));
        // Record lengths do not depend on the offsets' values (fixed 8 digits): lay out first, then write.
        long position = Encoding.UTF8.GetByteCount(licence);
        foreach (var s in _synsets)
        {
            Offsets[s.Key] = position;
            position += Encoding.UTF8.GetByteCount(Record(s, 0)) + 1;
        }
        var data = new StringBuilder(licence);
        foreach (var s in _synsets)
        {
            data.Append(Record(s, Offsets[s.Key])).Append('\n');
        }
        File.WriteAllText(Path.Combine(directory, "data.noun"), data.ToString());

        var senses = new SortedDictionary<string, List<long>>(StringComparer.Ordinal);
        foreach (var s in _synsets)
        {
            foreach (string word in s.Words)
            {
                string lemma = word.ToLowerInvariant();
                if (!senses.TryGetValue(lemma, out var list))
                {
                    senses[lemma] = list = [];
                }
                list.Add(Offsets[s.Key]);
            }
        }
        var index = new StringBuilder(licence);
        foreach (var (lemma, offsets) in senses)
        {
            index.Append($"{lemma} n {offsets.Count} 2 @ ~ {offsets.Count} 0 {string.Join(" ", offsets.Select(o => o.ToString("D8")))}  \n");
        }
        File.WriteAllText(Path.Combine(directory, "index.noun"), index.ToString());
        File.WriteAllText(Path.Combine(directory, "noun.exc"), "feet foot\nmice mouse\n");
        return directory;
    }

    private string Record(Synset s, long offset)
    {
        var sb = new StringBuilder();
        sb.Append($"{offset:D8} 05 n {s.Words.Length:x2}");
        foreach (string word in s.Words)
        {
            sb.Append($" {word} 0");
        }
        sb.Append($" {s.Pointers.Length:D3}");
        foreach (var (symbol, target) in s.Pointers)
        {
            sb.Append($" {symbol} {Offsets.GetValueOrDefault(target):D8} n 0000");
        }
        sb.Append($" | {s.Gloss}  ");
        return sb.ToString();
    }

    private sealed record Synset(string Key, string[] Words, (string Symbol, string Key)[] Pointers, string Gloss);
}
