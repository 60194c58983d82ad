using System.Buffers.Binary;
using System.Text;

namespace Dsh.Semantics;

/// <summary>
/// Streams a word2vec binary file: an ASCII header "count dim\n", then per record the UTF-8 word, a space, dim
/// little-endian float32 values and an optional '\n'. Keeps only the words the categories need (their values are
/// checked finite); stops early once every needed word has its exact lower-case entry.
/// </summary>
internal static class WordVectorBinaryReader
{
    private const int MaxHeaderBytes = 128;
    private const int MaxWordBytes = 4096;

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">Bad header, a truncated record, an over-long word or a non-finite value.</exception>
    public static ClassEmbedding Read(string path, IReadOnlyList<string> categories)
    {
        var lookup = new WordVectorLookup(categories);
        using Stream raw = EmbeddingFile.OpenRead(path);
        using var stream = new BufferedStream(raw, 1 << 20);
        string header = ReadHeader(stream, path);
        if (!EmbeddingFile.TryParseHeader(header, out long count, out int dimension))
        {
            throw Bad(path, $"the header must be \"count dim\" (two integers, dim ≥ 1) and a newline, not \"{header}\"");
        }
        var wordBytes = new byte[MaxWordBytes];
        var wordChars = new char[MaxWordBytes];
        var values = new byte[checked(dimension * sizeof(float))];
        for (long record = 1; record <= count; record++)
        {
            int length = ReadWord(stream, wordBytes, path, record);
            try
            {
                stream.ReadExactly(values);
            }
            catch (EndOfStreamException)
            {
                throw Bad(path, $"record {record} of {count}: the file ends inside the vector (truncated?)");
            }
            int chars = Encoding.UTF8.GetChars(wordBytes.AsSpan(0, length), wordChars);
            if (!lookup.Wants(wordChars.AsSpan(0, chars), out var slot))
            {
                continue;
            }
            var vector = new float[dimension];
            for (int i = 0; i < dimension; i++)
            {
                vector[i] = BinaryPrimitives.ReadSingleLittleEndian(values.AsSpan(i * sizeof(float)));
                if (!float.IsFinite(vector[i]))
                {
                    throw Bad(path, $"record {record} (\"{new string(wordChars, 0, chars)}\"): value {i + 1} is {vector[i]}, not a finite number");
                }
            }
            lookup.Accept(slot, vector);
            if (lookup.Complete)
            {
                break;
            }
        }
        return lookup.Build("word2vec-binary:" + Path.GetFullPath(path), dimension);
    }

    private static string ReadHeader(Stream stream, string path)
    {
        var bytes = new List<byte>();
        while (true)
        {
            int b = stream.ReadByte();
            if (b == '\n')
            {
                return Encoding.ASCII.GetString(bytes.ToArray()).TrimEnd('\r');
            }
            if (b < 0 || bytes.Count >= MaxHeaderBytes)
            {
                throw Bad(path, "no header line \"count dim\" at the start (not a word2vec binary file?)");
            }
            bytes.Add((byte)b);
        }
    }

    /// <summary>Reads one word up to its terminating space, skipping the optional newline left by the previous record.</summary>
    private static int ReadWord(Stream stream, byte[] buffer, string path, long record)
    {
        int b;
        do
        {
            b = stream.ReadByte();
        }
        while (b is '\n' or '\r');
        int length = 0;
        while (b != ' ')
        {
            if (b < 0)
            {
                throw Bad(path, $"record {record}: the file ends {(length == 0 ? "before the record" : "inside the word")} (truncated?)");
            }
            if (length == buffer.Length)
            {
                throw Bad(path, $"record {record}: a word longer than {MaxWordBytes} bytes (wrong dimension in the header, or not a word2vec binary file?)");
            }
            buffer[length++] = (byte)b;
            b = stream.ReadByte();
        }
        return length;
    }

    private static InvalidDataException Bad(string path, string what) => new($"{path}: {what} (reading it as a word2vec binary file).");
}
