using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace Dsh.Data;

/// <summary>
/// Reads a CSV manifest (RFC 4180: comma-separated, fields may be double-quoted with "" for a quote). The first
/// record is the header; blank lines are ignored.
/// </summary>
internal static class CsvManifestReader
{
    public static List<ManifestRow> Read(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var rows = new List<ManifestRow>();
        int[]? columns = null;
        foreach ((int line, List<string> fields) in Records(reader, path))
        {
            if (fields.Count == 1 && fields[0].Trim().Length == 0)
            {
                continue;
            }
            if (columns is null)
            {
                columns = Header(fields, path);
                continue;
            }
            string where = $"{path} line {line}";
            if (fields.Count > columns.Length)
            {
                throw new InvalidDataException($"{where}: {fields.Count} fields, but the header has {columns.Length}.");
            }
            string? Field(string name)
            {
                int index = Array.IndexOf(ManifestFields.All, name);
                int column = Array.IndexOf(columns, index);
                return column >= 0 && column < fields.Count ? fields[column] : null;
            }
            rows.Add(new ManifestRow(where, Field(ManifestFields.Domain), Field(ManifestFields.Category),
                Field(ManifestFields.Path), Field(ManifestFields.Split), Field(ManifestFields.Group)));
        }
        if (columns is null)
        {
            throw new InvalidDataException($"{path}: the manifest is empty; it needs the header domain,category,path[,split][,group].");
        }
        return rows;
    }

    /// <summary>For each column, its index in <see cref="ManifestFields.All"/>.</summary>
    private static int[] Header(List<string> fields, string path)
    {
        int[] columns = fields.Select(f => Array.IndexOf(ManifestFields.All, f.Trim().ToLowerInvariant())).ToArray();
        for (int i = 0; i < columns.Length; i++)
        {
            if (columns[i] < 0)
            {
                throw new InvalidDataException(
                    $"{path} line 1: unknown column '{fields[i]}'; the header is domain,category,path[,split][,group].");
            }
            if (Array.IndexOf(columns, columns[i]) != i)
            {
                throw new InvalidDataException($"{path} line 1: column '{fields[i]}' appears twice.");
            }
        }
        foreach (string required in ManifestFields.Required)
        {
            if (!columns.Contains(Array.IndexOf(ManifestFields.All, required)))
            {
                throw new InvalidDataException(
                    $"{path} line 1: the header lacks '{required}'; it must name domain,category,path[,split][,group].");
            }
        }
        return columns;
    }

    /// <summary>
    /// The records of the file, each with the line it starts on, from CsvHelper's RFC 4180 parser (a well-kept library
    /// rather than a parser of our own; it also reads quoted fields that span lines). A record whose quotes do not pair
    /// up (a quoted field never closed) is refused, naming its first line.
    /// </summary>
    private static IEnumerable<(int Line, List<string> Fields)> Records(TextReader reader, string path)
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false,
            IgnoreBlankLines = true,
            DetectDelimiter = false,
            Delimiter = ",",
            Mode = CsvMode.RFC4180,
            BadDataFound = null, // a stray quote inside an unquoted field is kept as text, as RFC 4180 readers commonly do
        };
        using var parser = new CsvParser(reader, configuration, leaveOpen: true);
        while (parser.Read())
        {
            string raw = parser.RawRecord;
            bool unclosed = raw.Count(c => c == '"') % 2 != 0;
            // RawRow counts the line breaks read so far: those inside the record, and its own last one only when an
            // unclosed quote swallowed it.
            int start = parser.RawRow - raw.Count(c => c == '\n') + (!unclosed && raw.EndsWith('\n') ? 1 : 0);
            if (unclosed)
            {
                throw new InvalidDataException($"{path} line {start}: a quoted field is not closed.");
            }
            yield return (start, [.. parser.Record ?? []]);
        }
    }
}
