using System.Globalization;
using System.IO.Compression;

namespace Dsh.Semantics;

/// <summary>Opens word-vector files (plain or gzip, detected by the magic bytes) and tells their formats apart.</summary>
internal static class EmbeddingFile
{
    /// <summary>A read stream over the file's content, decompressed when it starts with the gzip magic bytes.</summary>
    public static Stream OpenRead(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            int b0 = file.ReadByte(), b1 = file.ReadByte();
            file.Position = 0;
            return b0 == 0x1f && b1 == 0x8b ? new BufferedStream(new GZipStream(file, CompressionMode.Decompress), 1 << 16) : file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>True for "*.bin" and "*.bin.gz" (case-insensitive): the word2vec binary format.</summary>
    public static bool HasBinaryName(string path)
    {
        string name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        return name.EndsWith(".bin", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when the first line is exactly two non-negative integers (the word2vec "count dim" header).</summary>
    public static bool HasWord2VecHeader(string path)
    {
        using var reader = new StreamReader(OpenRead(path));
        string? first = reader.ReadLine();
        return first != null && TryParseHeader(first, out _, out _);
    }

    /// <summary>Parses "count dim" (white-space separated, non-negative count, positive dim).</summary>
    public static bool TryParseHeader(string line, out long count, out int dimension)
    {
        count = 0;
        dimension = 0;
        string[] parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out count)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out dimension)
            && dimension > 0;
    }
}
