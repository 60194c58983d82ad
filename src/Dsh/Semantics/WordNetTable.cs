using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Dsh.Semantics;

/// <summary>
/// WordNet 3.0's nouns as the library ships them (the embedded resource <c>Dsh.Semantics.wordnet-3.0-nouns.txt.gz</c>),
/// so every machine computes the same WordNet class vectors without a system package. Derived from the database's
/// <c>index.noun</c>, <c>data.noun</c> and <c>noun.exc</c> by <see cref="Write"/>, keeping only what the embedding reads:
/// <list type="bullet">
/// <item><c>S offset hypernyms words…</c>: a synset (its data.noun byte offset, WordNet 3.0's synset id), its hypernym
/// and instance-hypernym offsets joined by ',' (or '-'), and its words;</item>
/// <item><c>L lemma offsets…</c>: a lemma and its synsets, most frequent sense first (index.noun);</item>
/// <item><c>E form bases…</c>: an irregular plural and its base forms (noun.exc).</item>
/// </list>
/// Lines starting with '#' carry the WordNet 3.0 licence, which its terms require on every copy. Glosses, other
/// pointers and the other parts of speech are left out (about 1.4 MB compressed instead of 30 MB).
/// </summary>
internal sealed class WordNetTable : IWordNetNouns
{
    /// <summary>The embedded resource's name.</summary>
    public const string ResourceName = "Dsh.Semantics.wordnet-3.0-nouns.txt.gz";

    private static readonly Lazy<WordNetTable> BuiltInTable = new(LoadBuiltIn, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Dictionary<long, WordNetSynset> _synsets;
    private readonly Dictionary<string, long[]> _lemmas;
    private readonly Dictionary<string, string[]> _exceptions;

    private WordNetTable(Dictionary<long, WordNetSynset> synsets, Dictionary<string, long[]> lemmas, Dictionary<string, string[]> exceptions, string source)
    {
        (_synsets, _lemmas, _exceptions, Source) = (synsets, lemmas, exceptions, source);
    }

    /// <summary>The table shipped in the library (read once, on first use; about 0.5 s).</summary>
    public static WordNetTable BuiltIn => BuiltInTable.Value;

    /// <inheritdoc />
    public string Source { get; }

    /// <summary>Number of synsets.</summary>
    public int SynsetCount => _synsets.Count;

    /// <summary>Number of lemmas.</summary>
    public int LemmaCount => _lemmas.Count;

    /// <inheritdoc />
    public Dictionary<string, long[]> FindLemmas(IReadOnlySet<string> lemmas)
    {
        var found = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (string lemma in lemmas)
        {
            if (_lemmas.TryGetValue(lemma, out long[]? offsets))
            {
                found[lemma] = offsets;
            }
        }
        return found;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> BaseForms(string word) => WordNetDatabase.BaseForms(word, _exceptions);

    /// <inheritdoc />
    public WordNetSynset Synset(long offset) =>
        _synsets.TryGetValue(offset, out var synset) ? synset
            : throw new InvalidDataException($"{Source}: no noun synset {offset:D8} (a hypernym pointer to a synset the table does not hold).");

    /// <summary>Reads a table (gzip-compressed text in the format above).</summary>
    /// <param name="compressed">The .txt.gz content.</param>
    /// <param name="source">What <see cref="Source"/> reports and errors name.</param>
    /// <exception cref="InvalidDataException">A malformed line (the message names the line), or a hypernym or lemma that points at no synset.</exception>
    public static WordNetTable Read(Stream compressed, string source)
    {
        ArgumentNullException.ThrowIfNull(compressed);
        var synsets = new Dictionary<long, WordNetSynset>();
        var lemmas = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var exceptions = new Dictionary<string, string[]>(StringComparer.Ordinal);
        using var reader = new StreamReader(new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true), Encoding.UTF8);
        long lineNumber = 0;
        string? line;
        try
        {
            while ((line = reader.ReadLine()) != null)
            {
                lineNumber++;
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }
                string[] f = line.Split(' ');
                switch (f[0])
                {
                    case "S" when f.Length >= 4:
                        long offset = Offset(f[1]);
                        long[] hypernyms = f[2] == "-" ? [] : f[2].Split(',').Select(Offset).ToArray();
                        if (!synsets.TryAdd(offset, new WordNetSynset(offset, f[3..], hypernyms)))
                        {
                            throw new FormatException($"synset {f[1]} appears twice");
                        }
                        break;
                    case "L" when f.Length >= 3:
                        lemmas[f[1]] = f[2..].Select(Offset).ToArray();
                        break;
                    case "E" when f.Length >= 3:
                        exceptions.TryAdd(f[1], f[2..]);
                        break;
                    default:
                        throw new FormatException("not an S, L or E record");
                }
            }
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new InvalidDataException($"{source}: line {lineNumber}: {e.Message}.", e);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{source}: not a gzip-compressed WordNet noun table ({e.Message}).", e);
        }
        string? dangling = synsets.Values.SelectMany(s => s.Hypernyms).Concat(lemmas.Values.SelectMany(o => o))
            .Where(o => !synsets.ContainsKey(o)).Select(o => o.ToString("D8", CultureInfo.InvariantCulture)).FirstOrDefault();
        if (dangling is not null)
        {
            throw new InvalidDataException($"{source}: synset {dangling} is pointed at but not listed.");
        }
        if (synsets.Count == 0)
        {
            throw new InvalidDataException($"{source}: the table holds no synset.");
        }
        return new WordNetTable(synsets, lemmas, exceptions, source);
    }

    /// <summary>
    /// Writes the table of an installed WordNet 3.0 database (uncompressed text; the shipped resource is this, gzipped):
    /// the licence from data.noun's header as '#' lines, then every synset, lemma and exception in file order.
    /// </summary>
    /// <exception cref="InvalidDataException">A malformed database file.</exception>
    public static void Write(WordNetDatabase database, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(output);
        output.NewLine = "\n";
        output.WriteLine("# WordNet 3.0 nouns for Dsh's class vectors: synsets (S offset hypernyms words), lemmas (L lemma synsets,");
        output.WriteLine("# most frequent sense first) and irregular plurals (E form bases), derived from index.noun, data.noun and noun.exc.");
        output.WriteLine("# The WordNet licence, as it stands at the head of data.noun:");
        foreach (string licence in File.ReadLines(database.DataPath).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)))
        {
            string text = licence.TrimEnd();
            int space = text.IndexOf(' ', 2);
            output.WriteLine(("# " + (space < 0 ? "" : text[(space + 1)..])).TrimEnd());
        }
        foreach (WordNetSynset s in database.AllSynsets())
        {
            string hypernyms = s.Hypernyms.Count == 0 ? "-" : string.Join(',', s.Hypernyms.Select(h => h.ToString("D8", CultureInfo.InvariantCulture)));
            output.WriteLine($"S {s.Offset.ToString("D8", CultureInfo.InvariantCulture)} {hypernyms} {string.Join(' ', s.Words)}");
        }
        foreach (var (lemma, offsets) in database.AllLemmas())
        {
            output.WriteLine($"L {lemma} {string.Join(' ', offsets.Select(o => o.ToString("D8", CultureInfo.InvariantCulture)))}");
        }
        foreach (var (form, bases) in database.Exceptions().OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"E {form} {string.Join(' ', bases)}");
        }
    }

    private static long Offset(string text) =>
        text.Length == 8 && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long offset)
            ? offset
            : throw new FormatException($"\"{text}\" is not an 8-digit synset offset");

    private static WordNetTable LoadBuiltIn()
    {
        using Stream resource = typeof(WordNetTable).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The library lacks its WordNet table ({ResourceName}); the Dsh assembly is damaged.");
        return Read(resource, "wordnet");
    }
}
