using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using Dsh.Hashing.Codes;
using Dsh.Hashing.Indexes;

namespace Dsh.Hashing.Persistence;

/// <summary>
/// The Dsh index file, version 1 (all integers little-endian):
/// <code>
/// offset size  field
///  0      4    magic "DSHI"
///  4      4    kind: "FLAT" (HammingIndex) or "MIHX" (MultiIndexHashIndex)
///  8      2    format version (1)
/// 10      2    header size (48)
/// 12      4    bits (1..4096)
/// 16      4    words a code (= ceil(bits / 64))
/// 20      4    kind parameter (MIHX: substring count, 0 = automatic; FLAT: 0)
/// 24      8    count
/// 32      8    reserved (0)
/// 40      8    XxHash3-64 of bytes 0..39
/// 48           ids: count × int64
///              codes: count × words × uint64
///              XxHash3-64 of the ids and codes, seeded with the header hash
/// </code>
/// Every field is checked on load; any mismatch is an <see cref="InvalidDataException"/> that says which.
/// </summary>
internal static class IndexFile
{
    public const int HeaderSize = 48;
    public const ushort Version = 1;
    private const int ChunkBytes = 1 << 20;
    private static readonly byte[] Magic = "DSHI"u8.ToArray();

    public static void Write(Stream stream, string kind, CodeStore store, int parameter)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream is not writable.", nameof(stream));
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        Magic.CopyTo(header);
        Encoding.ASCII.GetBytes(kind, header.Slice(4, 4));
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(header[10..], HeaderSize);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], store.Bits);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], store.WordsPerCode);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], parameter);
        BinaryPrimitives.WriteInt64LittleEndian(header[24..], store.Count);
        BinaryPrimitives.WriteUInt64LittleEndian(header[40..], XxHash3.HashToUInt64(header[..40]));
        stream.Write(header);

        var hash = new XxHash3(unchecked((long)BinaryPrimitives.ReadUInt64LittleEndian(header[40..])));
        WriteLittleEndian(stream, store.Ids, hash);
        WriteLittleEndian(stream, store.Codes, hash);
        Span<byte> trailer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(trailer, hash.GetCurrentHashAsUInt64());
        stream.Write(trailer);
    }

    /// <summary>Reads one index from the stream's current position.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="expectedKind">The fourcc the caller can load.</param>
    /// <param name="parameter">The kind parameter from the header.</param>
    public static CodeStore Read(Stream stream, string expectedKind, out int parameter)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream is not readable.", nameof(stream));
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        int got = stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
        if (got == 0)
        {
            throw new InvalidDataException("Not a Dsh index: the input is empty.");
        }

        if (got < 4 || !header[..4].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"Not a Dsh index: the file does not start with \"DSHI\" (found {Describe(header[..Math.Min(got, 4)])}).");
        }

        if (got < HeaderSize)
        {
            throw new InvalidDataException($"Truncated Dsh index: the header needs {HeaderSize} bytes, only {got} are there.");
        }

        ulong headerHash = BinaryPrimitives.ReadUInt64LittleEndian(header[40..]);
        if (headerHash != XxHash3.HashToUInt64(header[..40]))
        {
            throw new InvalidDataException("Corrupt Dsh index: the header checksum does not match (the header was damaged).");
        }

        string kind = Encoding.ASCII.GetString(header.Slice(4, 4));
        if (kind != expectedKind)
        {
            throw new InvalidDataException($"This file holds a '{kind}' index; expected '{expectedKind}' ({(expectedKind == "FLAT" ? "HammingIndex" : "MultiIndexHashIndex")}).");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        if (version != Version)
        {
            throw new InvalidDataException($"Dsh index format version {version} is not supported (this library reads version {Version}).");
        }

        ushort headerSize = BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
        int bits = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        int words = BinaryPrimitives.ReadInt32LittleEndian(header[16..]);
        parameter = BinaryPrimitives.ReadInt32LittleEndian(header[20..]);
        long count = BinaryPrimitives.ReadInt64LittleEndian(header[24..]);
        if (headerSize != HeaderSize)
        {
            throw new InvalidDataException($"Corrupt Dsh index: header size {headerSize}, expected {HeaderSize}.");
        }

        if (BinaryPrimitives.ReadUInt64LittleEndian(header[32..]) != 0)
        {
            throw new InvalidDataException("Corrupt Dsh index: the reserved header bytes 32..39 are not zero.");
        }

        if (kind == "FLAT" && parameter != 0)
        {
            throw new InvalidDataException($"Corrupt Dsh index: a FLAT index has no parameter, found {parameter}.");
        }

        if (bits < 1 || bits > BinaryCode.MaxBits)
        {
            throw new InvalidDataException($"Corrupt Dsh index: code length {bits} is outside 1..{BinaryCode.MaxBits}.");
        }

        if (words != (bits + 63) >> 6)
        {
            throw new InvalidDataException($"Corrupt Dsh index: {words} words a code do not fit {bits}-bit codes.");
        }

        long maxCount = Array.MaxLength / words;
        if (count < 0 || count > maxCount)
        {
            throw new InvalidDataException($"Corrupt Dsh index: code count {count} is outside 0..{maxCount}.");
        }

        if (stream.CanSeek)
        {
            long expected = (count * 8) + (count * words * 8) + 8;
            long remaining = stream.Length - stream.Position;
            if (remaining < expected)
            {
                throw new InvalidDataException($"Truncated Dsh index: {count} codes need {expected} more bytes, only {remaining} are there.");
            }
        }

        // The payload hash is seeded with the header hash: a payload only passes behind its own header.
        var hash = new XxHash3(unchecked((long)headerHash));
        long[] ids = ReadLittleEndian<long>(stream, (int)count, hash, "ids");
        ulong[] codes = ReadLittleEndian<ulong>(stream, (int)(count * words), hash, "codes");
        Span<byte> trailer = stackalloc byte[8];
        if (stream.ReadAtLeast(trailer, 8, throwOnEndOfStream: false) < 8)
        {
            throw new InvalidDataException("Truncated Dsh index: the payload checksum is missing.");
        }

        if (BinaryPrimitives.ReadUInt64LittleEndian(trailer) != hash.GetCurrentHashAsUInt64())
        {
            throw new InvalidDataException("Corrupt Dsh index: the payload checksum does not match (ids or codes were damaged).");
        }

        long padded = BitPacking.FirstRowWithPadding(codes, bits, words);
        if (padded >= 0)
        {
            throw new InvalidDataException($"Corrupt Dsh index: code {padded} sets bits above bit {bits - 1}.");
        }

        return new CodeStore(bits, ids, codes, (int)count);
    }

    private static void WriteLittleEndian<T>(Stream stream, ReadOnlySpan<T> values, XxHash3 hash)
        where T : unmanaged
    {
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(values);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Dsh index files are written on little-endian machines only.");
        }

        for (int at = 0; at < bytes.Length; at += ChunkBytes)
        {
            ReadOnlySpan<byte> chunk = bytes.Slice(at, Math.Min(ChunkBytes, bytes.Length - at));
            hash.Append(chunk);
            stream.Write(chunk);
        }
    }

    /// <summary>Reads <paramref name="count"/> values, growing the array only as data arrives, so a bogus count cannot exhaust memory.</summary>
    private static T[] ReadLittleEndian<T>(Stream stream, int count, XxHash3 hash, string what)
        where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Dsh index files are read on little-endian machines only.");
        }

        int size = Marshal.SizeOf<T>();
        int valuesPerChunk = ChunkBytes / size;
        var values = new T[Math.Min(count, valuesPerChunk)];
        int filled = 0;
        while (filled < count)
        {
            int take = Math.Min(valuesPerChunk, count - filled);
            if (values.Length < filled + take)
            {
                Array.Resize(ref values, (int)Math.Min(count, Math.Max(filled + take, (long)values.Length * 2)));
            }

            Span<byte> target = MemoryMarshal.AsBytes(values.AsSpan(filled, take));
            int got = stream.ReadAtLeast(target, target.Length, throwOnEndOfStream: false);
            if (got < target.Length)
            {
                throw new InvalidDataException($"Truncated Dsh index: the {what} end after {filled + (got / size)} of {count} values.");
            }

            hash.Append(target);
            filled += take;
        }

        return values;
    }

    private static string Describe(ReadOnlySpan<byte> bytes) =>
        bytes.Length == 0 ? "nothing" : "0x" + Convert.ToHexString(bytes);

    /// <summary>Reads a file that holds one index and nothing after it.</summary>
    /// <param name="path">The file.</param>
    /// <param name="read">Reads the index from the stream.</param>
    /// <param name="what">What the file holds, for the message ("Dsh index", "FAISS binary index").</param>
    public static T LoadFile<T>(string path, Func<Stream, T> read, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        T result = read(stream);
        long extra = stream.Length - stream.Position;
        if (extra != 0)
        {
            throw new InvalidDataException($"Corrupt {what}: {extra} unexpected bytes follow the end of the index.");
        }

        return result;
    }
}
