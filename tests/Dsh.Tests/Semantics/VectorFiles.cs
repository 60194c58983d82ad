using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Dsh.Tests.Semantics;

/// <summary>Writes tiny word-vector files in the word2vec text, word2vec binary and GloVe formats.</summary>
internal static class VectorFiles
{
    public static string Line(string word, params float[] values) =>
        word + " " + string.Join(" ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    public static string WriteWord2VecText(string path, params (string Word, float[] Vector)[] entries)
    {
        var lines = new List<string> { $"{entries.Length} {entries[0].Vector.Length}" };
        lines.AddRange(entries.Select(e => Line(e.Word, e.Vector)));
        File.WriteAllLines(path, lines);
        return path;
    }

    public static string WriteGloVe(string path, params (string Word, float[] Vector)[] entries)
    {
        File.WriteAllLines(path, entries.Select(e => Line(e.Word, e.Vector)));
        return path;
    }

    public static byte[] Word2VecBinary((string Word, float[] Vector)[] entries, bool newlineAfterVector = true, long? headerCount = null)
    {
        using var stream = new MemoryStream();
        int dim = entries[0].Vector.Length;
        stream.Write(Encoding.ASCII.GetBytes($"{headerCount ?? entries.Length} {dim}\n"));
        foreach (var (word, vector) in entries)
        {
            stream.Write(Encoding.UTF8.GetBytes(word + " "));
            var bytes = new byte[vector.Length * 4];
            for (int i = 0; i < vector.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), vector[i]);
            }
            stream.Write(bytes);
            if (newlineAfterVector)
            {
                stream.WriteByte((byte)'\n');
            }
        }
        return stream.ToArray();
    }

    public static string WriteWord2VecBinary(string path, params (string Word, float[] Vector)[] entries)
    {
        File.WriteAllBytes(path, Word2VecBinary(entries));
        return path;
    }

    public static string Gzip(string path, string target)
    {
        using (var input = File.OpenRead(path))
        using (var output = new GZipStream(File.Create(target), CompressionLevel.Fastest))
        {
            input.CopyTo(output);
        }
        return target;
    }

    public static (string, float[]) E(string word, params float[] vector) => (word, vector);

    public static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += a[i] * (double)b[i];
            na += a[i] * (double)a[i];
            nb += b[i] * (double)b[i];
        }
        return dot / Math.Sqrt(na * nb);
    }

    public static double Norm(float[] a) => Math.Sqrt(a.Sum(x => x * (double)x));
}
