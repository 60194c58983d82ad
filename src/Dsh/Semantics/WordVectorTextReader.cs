using System.Globalization;

namespace Dsh.Semantics;

/// <summary>
/// Streams a text word-vector file — word2vec text ("count dim" header, then "word v1 … vd" lines) or GloVe (no
/// header) — keeping only the words the categories need. Every line's field count is checked; values are parsed
/// (and checked finite) only for needed words. Stops early once every needed word has its exact lower-case entry.
/// </summary>
internal static class WordVectorTextReader
{
    /// <summary>Reads <paramref name="path"/>; <paramref name="hasHeader"/> selects word2vec text over GloVe.</summary>
    /// <exception cref="InvalidDataException">Missing header, wrong number of values, a value that is not a finite number, or a vector count different from the header's.</exception>
    public static ClassEmbedding Read(string path, IReadOnlyList<string> categories, bool hasHeader)
    {
        var lookup = new WordVectorLookup(categories);
        string format = hasHeader ? "word2vec text" : "GloVe";
        using var reader = new StreamReader(EmbeddingFile.OpenRead(path), bufferSize: 1 << 16);
        long lineNumber = 0, vectors = 0, expected = -1;
        int dimension = 0;
        var fields = new List<Range>(512);
        if (hasHeader)
        {
            string? header = reader.ReadLine();
            lineNumber = 1;
            if (header == null || !EmbeddingFile.TryParseHeader(header, out expected, out dimension))
            {
                throw Bad(path, format, 1, $"the first line must be the header \"count dim\" (two integers, dim ≥ 1), not \"{Excerpt(header)}\"");
            }
        }
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            lineNumber++;
            if (dimension > 0 && IsWellFormedAndUnneeded(line, dimension, lookup))
            {
                vectors++;
                if (expected >= 0 && vectors > expected)
                {
                    throw Bad(path, format, lineNumber, $"more vectors than the header's {expected}");
                }
                continue;
            }
            Split(line, fields);
            if (fields.Count == 0)
            {
                continue; // blank line (for example at the end)
            }
            if (dimension == 0)
            {
                dimension = fields.Count - 1;
                if (dimension < 1)
                {
                    throw Bad(path, format, lineNumber, "a line must hold a word and at least one value");
                }
            }
            int values = fields.Count - 1;
            if (values < dimension || (values > dimension && !WordHasSpaces(line, fields, dimension)))
            {
                throw Bad(path, format, lineNumber, $"expected a word and {dimension} values, found {values} values");
            }
            vectors++;
            if (expected >= 0 && vectors > expected)
            {
                throw Bad(path, format, lineNumber, $"more vectors than the header's {expected}");
            }
            if (values > dimension)
            {
                continue; // a word containing spaces (GloVe 840B has a few): never a category word
            }
            if (lookup.Wants(line.AsSpan(fields[0]), out var slot))
            {
                var vector = new float[dimension];
                for (int i = 0; i < dimension; i++)
                {
                    ReadOnlySpan<char> text = line.AsSpan(fields[i + 1]);
                    if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
                    {
                        throw Bad(path, format, lineNumber, $"value {i + 1} of \"{line[fields[0]]}\" is \"{text}\", not a finite number");
                    }
                    vector[i] = value;
                }
                lookup.Accept(slot, vector);
                if (lookup.Complete)
                {
                    return lookup.Build(Source(path, hasHeader), dimension);
                }
            }
        }
        if (dimension == 0)
        {
            throw Bad(path, format, lineNumber, "the file holds no vectors");
        }
        if (expected >= 0 && vectors != expected)
        {
            throw Bad(path, format, lineNumber, $"the file ends after {vectors} of the header's {expected} vectors (truncated?)");
        }
        return lookup.Build(Source(path, hasHeader), dimension);
    }

    /// <summary>
    /// The fast path for the vast majority of lines: a word not needed, followed by exactly <paramref name="dimension"/>
    /// single-space-separated fields (a vectorised count). Anything else takes the full, checking path.
    /// </summary>
    private static bool IsWellFormedAndUnneeded(string line, int dimension, WordVectorLookup lookup)
    {
        ReadOnlySpan<char> span = line.AsSpan().TrimEnd(' ');
        int space = span.IndexOf(' ');
        return space > 0
            && span.Count(' ') == dimension
            && !lookup.Wants(span[..space], out _)
            && !span.Contains("  ", StringComparison.Ordinal)
            && span.IndexOfAny('\t', '\r') < 0;
    }

    private static string Source(string path, bool hasHeader) => (hasHeader ? "word2vec-text:" : "glove:") + Path.GetFullPath(path);

    /// <summary>Splits on spaces and tabs into non-empty fields.</summary>
    private static void Split(string line, List<Range> fields)
    {
        fields.Clear();
        int i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && IsSpace(line[i]))
            {
                i++;
            }
            int start = i;
            while (i < line.Length && !IsSpace(line[i]))
            {
                i++;
            }
            if (i > start)
            {
                fields.Add(new Range(start, i));
            }
        }
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r';

    /// <summary>Extra leading fields are part of the word only if none of them is a number (else the line has too many values).</summary>
    private static bool WordHasSpaces(string line, List<Range> fields, int dimension)
    {
        int extra = fields.Count - 1 - dimension;
        for (int i = 1; i <= extra; i++)
        {
            if (double.TryParse(line.AsSpan(fields[i]), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                return false;
            }
        }
        return true;
    }

    private static string Excerpt(string? line) => line == null ? "(end of file)" : line.Length > 60 ? line[..60] + "…" : line;

    private static InvalidDataException Bad(string path, string format, long line, string what) =>
        new($"{path}: line {line}: {what} (reading it as a {format} file).");
}
