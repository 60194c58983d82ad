using System.Globalization;
using System.Text;

namespace Dsh.Semantics;

/// <summary>
/// Reads the noun part of a WordNet 3.0 database in its standard file format (wndb(5)): <c>index.noun</c> (one
/// line per lemma: lemma, pos, synset_cnt, p_cnt, p_cnt pointer symbols, sense_cnt, tagsense_cnt, synset_cnt
/// offsets, most frequent sense first), <c>data.noun</c> (one synset per line, found by its byte offset) and the
/// optional <c>noun.exc</c> (irregular plurals). Licence lines start with two spaces and are skipped.
/// </summary>
internal sealed class WordNetDatabase : IWordNetNouns, IDisposable
{
    /// <summary>Where Debian's <c>wordnet-base</c> installs the database.</summary>
    public const string DefaultDirectory = "/usr/share/wordnet";

    private const string InstallHint =
        "Install the WordNet 3.0 database (Debian/Ubuntu: `apt-get install wordnet-base`), or pass its directory, or set WNSEARCHDIR.";

    private readonly FileStream _data;
    private readonly Dictionary<long, WordNetSynset> _synsets = [];
    private Dictionary<string, string[]>? _exceptions;

    private WordNetDatabase(string directory)
    {
        Directory = directory;
        IndexPath = Path.Combine(directory, "index.noun");
        DataPath = Path.Combine(directory, "data.noun");
        _data = new FileStream(DataPath, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.RandomAccess);
    }

    /// <summary>The database directory (full path).</summary>
    public string Directory { get; }

    /// <inheritdoc />
    public string Source => "wordnet:" + Directory;

    public string IndexPath { get; }

    public string DataPath { get; }

    /// <summary>Opens the database in <paramref name="directory"/>, else $WNSEARCHDIR, else <see cref="DefaultDirectory"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">index.noun or data.noun is missing.</exception>
    public static WordNetDatabase Open(string? directory)
    {
        string chosen = directory ?? NonEmpty(Environment.GetEnvironmentVariable("WNSEARCHDIR")) ?? DefaultDirectory;
        string full = Path.GetFullPath(chosen);
        if (!System.IO.Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"WordNet database directory {full} not found. {InstallHint}");
        }
        foreach (string name in new[] { "index.noun", "data.noun" })
        {
            string file = Path.Combine(full, name);
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"WordNet database file {file} not found. {InstallHint}", file);
            }
        }
        return new WordNetDatabase(full);
    }

    /// <summary>Streams index.noun once and returns the synset offsets (most frequent sense first) of the requested lemmas that exist.</summary>
    /// <exception cref="InvalidDataException">A requested lemma's line is malformed.</exception>
    public Dictionary<string, long[]> FindLemmas(IReadOnlySet<string> lemmas)
    {
        var found = new Dictionary<string, long[]>(StringComparer.Ordinal);
        long lineNumber = 0;
        foreach (string line in File.ReadLines(IndexPath))
        {
            lineNumber++;
            if (line.StartsWith("  ", StringComparison.Ordinal) || line.Length == 0)
            {
                continue;
            }
            int space = line.IndexOf(' ');
            string lemma = space < 0 ? line : line[..space];
            if (!lemmas.Contains(lemma) || found.ContainsKey(lemma))
            {
                continue;
            }
            found[lemma] = ParseIndexLine(line, lineNumber);
        }
        return found;
    }

    /// <summary>Base forms of a noun by WordNet's rules: noun.exc entries, then the detachment suffixes (s, ses, xes, zes, ches, shes, men, ies).</summary>
    public IReadOnlyList<string> BaseForms(string word) => BaseForms(word, Exceptions());

    /// <summary>Base forms of <paramref name="word"/> from an exception table (noun.exc) and WordNet's noun detachment rules.</summary>
    internal static IReadOnlyList<string> BaseForms(string word, IReadOnlyDictionary<string, string[]> exceptions)
    {
        var forms = new List<string>();
        if (exceptions.TryGetValue(word, out string[]? irregular))
        {
            forms.AddRange(irregular);
        }
        (string Suffix, string Ending)[] rules = [("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"), ("ies", "y")];
        foreach (var (suffix, ending) in rules)
        {
            if (word.Length > suffix.Length && word.EndsWith(suffix, StringComparison.Ordinal))
            {
                forms.Add(word[..^suffix.Length] + ending);
            }
        }
        return forms.Distinct().Where(f => f != word).ToArray();
    }

    /// <summary>Every index.noun entry: lemma and synset offsets, most frequent sense first, in file order.</summary>
    /// <exception cref="InvalidDataException">A malformed line.</exception>
    public IEnumerable<(string Lemma, long[] Offsets)> AllLemmas()
    {
        long lineNumber = 0;
        foreach (string line in File.ReadLines(IndexPath))
        {
            lineNumber++;
            if (line.StartsWith("  ", StringComparison.Ordinal) || line.Length == 0)
            {
                continue;
            }
            yield return (line[..line.IndexOf(' ')], ParseIndexLine(line, lineNumber));
        }
    }

    /// <summary>Every data.noun synset, in file order.</summary>
    /// <exception cref="InvalidDataException">A malformed record.</exception>
    public IEnumerable<WordNetSynset> AllSynsets()
    {
        foreach (string line in File.ReadLines(DataPath))
        {
            if (line.StartsWith("  ", StringComparison.Ordinal) || line.Length == 0)
            {
                continue;
            }
            long offset = long.Parse(line.AsSpan(0, line.IndexOf(' ')), NumberStyles.None, CultureInfo.InvariantCulture);
            yield return ParseDataLine(line, offset); // the line is in hand: no second read at its offset
        }
    }

    /// <summary>noun.exc (irregular form → base forms), read once; empty when the file is absent.</summary>
    internal Dictionary<string, string[]> Exceptions()
    {
        if (_exceptions == null)
        {
            _exceptions = new Dictionary<string, string[]>(StringComparer.Ordinal);
            string path = Path.Combine(Directory, "noun.exc");
            if (File.Exists(path))
            {
                foreach (string line in File.ReadLines(path))
                {
                    string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length >= 2)
                    {
                        _exceptions.TryAdd(parts[0], parts[1..]);
                    }
                }
            }
        }
        return _exceptions;
    }

    /// <summary>The synset at <paramref name="offset"/> in data.noun (cached).</summary>
    /// <exception cref="InvalidDataException">No well-formed synset record starts at that byte.</exception>
    public WordNetSynset Synset(long offset)
    {
        if (_synsets.TryGetValue(offset, out var cached))
        {
            return cached;
        }
        string line = ReadLineAt(offset);
        var synset = ParseDataLine(line, offset);
        _synsets[offset] = synset;
        return synset;
    }

    /// <inheritdoc />
    public void Dispose() => _data.Dispose();

    private long[] ParseIndexLine(string line, long lineNumber)
    {
        string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 6 || f[1] != "n" || !TryInt(f[2], out int synsetCount) || !TryInt(f[3], out int pointerCount)
            || f.Length != 4 + pointerCount + 2 + synsetCount || synsetCount < 1)
        {
            throw new InvalidDataException($"{IndexPath}: line {lineNumber}: not an index.noun entry " +
                "(lemma n synset_cnt p_cnt [ptr_symbol…] sense_cnt tagsense_cnt synset_offset…).");
        }
        var offsets = new long[synsetCount];
        for (int i = 0; i < synsetCount; i++)
        {
            if (!long.TryParse(f[6 + pointerCount + i], NumberStyles.None, CultureInfo.InvariantCulture, out offsets[i]))
            {
                throw new InvalidDataException($"{IndexPath}: line {lineNumber}: synset offset \"{f[6 + pointerCount + i]}\" is not a number.");
            }
        }
        return offsets;
    }

    private string ReadLineAt(long offset)
    {
        if (offset < 0 || offset >= _data.Length)
        {
            throw new InvalidDataException($"{DataPath}: synset offset {offset} lies outside the file (index.noun and data.noun do not match?).");
        }
        _data.Position = offset;
        var bytes = new List<byte>(512);
        int b;
        while ((b = _data.ReadByte()) >= 0 && b != '\n')
        {
            bytes.Add((byte)b);
        }
        return Encoding.UTF8.GetString(bytes.ToArray()).TrimEnd('\r');
    }

    /// <summary>
    /// synset_offset lex_filenum ss_type w_cnt(hex) [word lex_id]… p_cnt [ptr_symbol offset pos source/target]… | gloss.
    /// Keeps the words and the hypernym ("@") and instance-hypernym ("@i") targets among nouns.
    /// </summary>
    private WordNetSynset ParseDataLine(string line, long offset)
    {
        string head = line.Split('|')[0];
        string[] f = head.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string where = $"{DataPath}: synset record at byte {offset}";
        if (f.Length < 4 || !long.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out long own) || own != offset)
        {
            throw new InvalidDataException($"{where}: no record starts there (index.noun and data.noun do not match?).");
        }
        if (!int.TryParse(f[3], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int wordCount) || wordCount < 1)
        {
            throw new InvalidDataException($"{where}: w_cnt \"{f[3]}\" is not a positive hexadecimal number.");
        }
        int p = 4 + 2 * wordCount;
        if (f.Length <= p || !TryInt(f[p], out int pointerCount) || f.Length < p + 1 + 4 * pointerCount)
        {
            throw new InvalidDataException($"{where}: the word list or pointer count (p_cnt) is malformed.");
        }
        var words = new string[wordCount];
        for (int i = 0; i < wordCount; i++)
        {
            words[i] = f[4 + 2 * i];
        }
        var hypernyms = new List<long>();
        for (int i = 0; i < pointerCount; i++)
        {
            int at = p + 1 + 4 * i;
            if (f[at] is not ("@" or "@i") || f[at + 2] != "n")
            {
                continue;
            }
            if (!long.TryParse(f[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out long target))
            {
                throw new InvalidDataException($"{where}: pointer {i + 1} has offset \"{f[at + 1]}\", not a number.");
            }
            hypernyms.Add(target);
        }
        return new WordNetSynset(offset, words, hypernyms);
    }

    private static bool TryInt(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}

/// <summary>One noun synset: its byte offset in data.noun, its words and its (instance) hypernyms' offsets.</summary>
internal sealed record WordNetSynset(long Offset, IReadOnlyList<string> Words, IReadOnlyList<long> Hypernyms);
