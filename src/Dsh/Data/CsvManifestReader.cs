using System.Text;

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

    /// <summary>The records of the file, each with the line it starts on.</summary>
    private static IEnumerable<(int Line, List<string> Fields)> Records(TextReader reader, string path)
    {
        int line = 1, start = 1;
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, any = false;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            any = true;
            char ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        line++;
                    }
                    field.Append(ch);
                }
                continue;
            }
            switch (ch)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    yield return (start, fields);
                    fields = [];
                    any = false;
                    start = ++line;
                    break;
                default:
                    field.Append(ch);
                    break;
            }
        }
        if (quoted)
        {
            throw new InvalidDataException($"{path} line {start}: a quoted field is not closed.");
        }
        if (any)
        {
            fields.Add(field.ToString());
            yield return (start, fields);
        }
    }
}
