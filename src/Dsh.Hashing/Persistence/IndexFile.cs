using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using Dsh.Hashing.Codes;
using Dsh.Hashing.Indexes;

namespace Dsh.Hashing.Persistence;

/// <summary>
/// The Dsh index file (all integers little-endian). Version 1, written by <see cref="HammingIndex"/> and
/// <see cref="MultiIndexHashIndex"/>:
/// <code>
/// offset size  field
///  0      4    magic "DSHI"
///  4      4    kind: "FLAT" (HammingIndex) or "MIHX" (MultiIndexHashIndex)
///  8      2    format version (1)
/// 10      2    header size (48)
/// 12      4    code length in bits (1..BinaryCode.MaxCodeLength, 4096)
/// 16      4    words a code (= ceil(code length / 64))
/// 20      4    kind parameter (MIHX: substring count, 0 = automatic; FLAT: 0)
/// 24      8    count
/// 32      8    reserved (0)
/// 40      8    XxHash3-64 of bytes 0..39
/// 48           ids: count × int64
///              codes: count × words × uint64
///              XxHash3-64 of the ids and codes, seeded with the header hash
/// </code>
/// Version 2 adds a metadata section (a <see cref="Gallery"/> keeps its items there) and a generation:
/// <code>
///  0..31       as version 1, with version 2 and header size 64
/// 32      8    generation (0 or more)
/// 40      8    metadata length M in bytes (0..2^31 - 1)
/// 48      8    reserved (0)
/// 56      8    XxHash3-64 of bytes 0..55
/// 64           ids, codes and their hash as in version 1
///              metadata: M bytes
///              XxHash3-64 of the metadata, seeded with the ids-and-codes hash
/// </code>
/// The hashes form a chain, so the last one covers the whole file. Every field is checked on load; any
/// mismatch is an <see cref="InvalidDataException"/> that says which.
/// </summary>
internal static class IndexFile
{
    public const int HeaderSize = 48;
    public const int HeaderSizeV2 = 64;
    public const ushort Version = 1;
    public const ushort VersionWithMetadata = 2;
    private const int ChunkBytes = 1 << 20;
    private static readonly byte[] Magic = "DSHI"u8.ToArray();

    public static void Write(Stream stream, string kind, CodeStore store, int parameter)
    {
        CheckWritable(stream);
        Span<byte> header = stackalloc byte[HeaderSize];
        WriteCommonHeader(header, kind, Version, HeaderSize, store.CodeLength, parameter, store.Count);
        BinaryPrimitives.WriteUInt64LittleEndian(header[40..], XxHash3.HashToUInt64(header[..40]));
        stream.Write(header);

        var hash = new XxHash3(unchecked((long)BinaryPrimitives.ReadUInt64LittleEndian(header[40..])));
        WriteLittleEndian(stream, store.Ids, hash);
        WriteLittleEndian(stream, store.Codes, hash);
        WriteHash(stream, hash.GetCurrentHashAsUInt64());
    }

    /// <summary>Writes a version 2 file: rows, then <paramref name="metadata"/>.</summary>
    /// <returns>The last hash of the chain (it covers the whole file).</returns>
    public static ulong Write(Stream stream, string kind, int codeLength, ReadOnlySpan<long> ids, ReadOnlySpan<ulong> codes, int parameter, long generation, ReadOnlySpan<byte> metadata)
    {
        CheckWritable(stream);
        Span<byte> header = stackalloc byte[HeaderSizeV2];
        WriteCommonHeader(header, kind, VersionWithMetadata, HeaderSizeV2, codeLength, parameter, ids.Length);
        BinaryPrimitives.WriteInt64LittleEndian(header[32..], generation);
        BinaryPrimitives.WriteInt64LittleEndian(header[40..], metadata.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(header[56..], XxHash3.HashToUInt64(header[..56]));
        stream.Write(header);

        var hash = new XxHash3(unchecked((long)BinaryPrimitives.ReadUInt64LittleEndian(header[56..])));
        WriteLittleEndian(stream, ids, hash);
        WriteLittleEndian(stream, codes, hash);
        ulong payloadHash = hash.GetCurrentHashAsUInt64();
        WriteHash(stream, payloadHash);

        var metadataHash = new XxHash3(unchecked((long)payloadHash));
        WriteLittleEndian(stream, metadata, metadataHash);
        ulong last = metadataHash.GetCurrentHashAsUInt64();
        WriteHash(stream, last);
        return last;
    }

    /// <summary>Reads one index from the stream's current position (version 1 or 2; metadata is checked and skipped).</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="expectedKind">The fourcc the caller can load.</param>
    /// <param name="parameter">The kind parameter from the header.</param>
    public static CodeStore Read(Stream stream, string expectedKind, out int parameter)
    {
        Contents contents = Read(stream, expectedKind, keepMetadata: false);
        parameter = contents.Parameter;
        return contents.Store;
    }

    /// <summary>Reads one index from the stream's current position, version 1 or 2.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="expectedKind">The fourcc the caller can load.</param>
    /// <param name="keepMetadata">Return the metadata bytes (otherwise they are checked and dropped).</param>
    public static Contents Read(Stream stream, string expectedKind, bool keepMetadata)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream is not readable.", nameof(stream));
        }

        Span<byte> header = stackalloc byte[HeaderSizeV2];
        Header h = ReadHeader(stream, header, expectedKind);
        long count = h.Count;
        int words = (h.CodeLength + 63) >> 6;
        if (stream.CanSeek)
        {
            long expected = (count * 8) + (count * words * 8) + 8 + (h.Version == VersionWithMetadata ? h.MetadataLength + 8 : 0);
            long remaining = stream.Length - stream.Position;
            if (remaining < expected)
            {
                throw new InvalidDataException($"Truncated Dsh index: {count} codes{(h.MetadataLength > 0 ? $" and {h.MetadataLength} bytes of metadata" : "")} need {expected} more bytes, only {remaining} are there.");
            }
        }

        // The payload hash is seeded with the header hash: a payload only passes behind its own header.
        var hash = new XxHash3(unchecked((long)h.Hash));
        bool sized = stream.CanSeek; // the length was checked above: the arrays can be allocated at once
        long[] ids = ReadLittleEndian<long>(stream, (int)count, hash, "ids", sized);
        ulong[] codes = ReadLittleEndian<ulong>(stream, (int)(count * words), hash, "codes", sized);
        ulong payloadHash = ReadHash(stream, "the payload checksum");
        if (payloadHash != hash.GetCurrentHashAsUInt64())
        {
            throw new InvalidDataException("Corrupt Dsh index: the payload checksum does not match (ids or codes were damaged).");
        }

        ulong last = payloadHash;
        byte[]? metadata = null;
        if (h.Version == VersionWithMetadata)
        {
            var metadataHash = new XxHash3(unchecked((long)payloadHash));
            if (keepMetadata)
            {
                metadata = ReadLittleEndian<byte>(stream, (int)h.MetadataLength, metadataHash, "metadata", sized);
            }
            else
            {
                Skip(stream, h.MetadataLength, metadataHash);
            }

            last = ReadHash(stream, "the metadata checksum");
            if (last != metadataHash.GetCurrentHashAsUInt64())
            {
                throw new InvalidDataException("Corrupt Dsh index: the metadata checksum does not match (the metadata was damaged).");
            }
        }

        long padded = BitPacking.FirstRowWithPadding(codes, h.CodeLength, words);
        if (padded >= 0)
        {
            throw new InvalidDataException($"Corrupt Dsh index: code {padded} sets bits above bit {h.CodeLength - 1}.");
        }

        return new Contents(new CodeStore(h.CodeLength, ids, codes, (int)count), h.Parameter, h.Version, h.Generation, metadata, last);
    }

    /// <summary>
    /// Reads what identifies a file's content without reading the content: its header (checked) and, for version
    /// 2, the last hash of the chain. The file is replaced only by renames, so this is one consistent version.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>The stamp, or null when the file does not exist.</returns>
    /// <exception cref="InvalidDataException">The header is damaged or not a Dsh index.</exception>
    public static Stamp? TryReadStamp(string path)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        using (stream)
        {
            Span<byte> header = stackalloc byte[HeaderSizeV2];
            Header h = ReadHeader(stream, header, expectedKind: null);
            if (h.Version != VersionWithMetadata)
            {
                return new Stamp(h.Version, 0, 0, 0);
            }

            if (stream.Length < HeaderSizeV2 + 16)
            {
                throw new InvalidDataException($"Truncated Dsh index: '{path}' ends after {stream.Length} bytes.");
            }

            stream.Seek(-8, SeekOrigin.End);
            return new Stamp(h.Version, h.Generation, h.MetadataLength, ReadHash(stream, "the metadata checksum"));
        }
    }

    private static Header ReadHeader(Stream stream, Span<byte> header, string? expectedKind)
    {
        int got = stream.ReadAtLeast(header[..HeaderSize], HeaderSize, throwOnEndOfStream: false);
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

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        int size;
        if (version == Version)
        {
            size = HeaderSize;
        }
        else if (version == VersionWithMetadata)
        {
            size = HeaderSizeV2;
            got += stream.ReadAtLeast(header[HeaderSize..HeaderSizeV2], HeaderSizeV2 - HeaderSize, throwOnEndOfStream: false);
            if (got < HeaderSizeV2)
            {
                throw new InvalidDataException($"Truncated Dsh index: the version 2 header needs {HeaderSizeV2} bytes, only {got} are there.");
            }
        }
        else
        {
            throw new InvalidDataException($"Dsh index format version {version} is not supported (this library reads versions {Version} and {VersionWithMetadata}): the file is newer than this library, or damaged.");
        }

        header = header[..size];
        ulong headerHash = BinaryPrimitives.ReadUInt64LittleEndian(header[(size - 8)..]);
        if (headerHash != XxHash3.HashToUInt64(header[..(size - 8)]))
        {
            throw new InvalidDataException("Corrupt Dsh index: the header checksum does not match (the header was damaged).");
        }

        string kind = Encoding.ASCII.GetString(header.Slice(4, 4));
        if (expectedKind is not null && kind != expectedKind)
        {
            throw new InvalidDataException($"This file holds a '{kind}' index; expected '{expectedKind}' ({(expectedKind == "FLAT" ? "HammingIndex" : "MultiIndexHashIndex")}).");
        }

        ushort headerSize = BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
        int codeLength = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        int words = BinaryPrimitives.ReadInt32LittleEndian(header[16..]);
        int parameter = BinaryPrimitives.ReadInt32LittleEndian(header[20..]);
        long count = BinaryPrimitives.ReadInt64LittleEndian(header[24..]);
        long generation = 0, metadataLength = 0;
        if (headerSize != size)
        {
            throw new InvalidDataException($"Corrupt Dsh index: header size {headerSize}, expected {size}.");
        }

        if (version == Version)
        {
            if (BinaryPrimitives.ReadUInt64LittleEndian(header[32..]) != 0)
            {
                throw new InvalidDataException("Corrupt Dsh index: the reserved header bytes 32..39 are not zero.");
            }
        }
        else
        {
            generation = BinaryPrimitives.ReadInt64LittleEndian(header[32..]);
            metadataLength = BinaryPrimitives.ReadInt64LittleEndian(header[40..]);
            if (BinaryPrimitives.ReadUInt64LittleEndian(header[48..]) != 0)
            {
                throw new InvalidDataException("Corrupt Dsh index: the reserved header bytes 48..55 are not zero.");
            }

            if (generation < 0)
            {
                throw new InvalidDataException($"Corrupt Dsh index: generation {generation} is negative.");
            }

            if (metadataLength < 0 || metadataLength > Array.MaxLength)
            {
                throw new InvalidDataException($"Corrupt Dsh index: metadata length {metadataLength} is outside 0..{Array.MaxLength}.");
            }
        }

        if (kind == "FLAT" && parameter != 0)
        {
            throw new InvalidDataException($"Corrupt Dsh index: a FLAT index has no parameter, found {parameter}.");
        }

        if (codeLength < 1 || codeLength > BinaryCode.MaxCodeLength)
        {
            throw new InvalidDataException($"Corrupt Dsh index: code length {codeLength} is outside 1..{BinaryCode.MaxCodeLength}.");
        }

        if (words != (codeLength + 63) >> 6)
        {
            throw new InvalidDataException($"Corrupt Dsh index: {words} words a code do not fit {codeLength}-bit codes.");
        }

        long maxCount = Array.MaxLength / words;
        if (count < 0 || count > maxCount)
        {
            throw new InvalidDataException($"Corrupt Dsh index: code count {count} is outside 0..{maxCount}.");
        }

        return new Header(kind, version, codeLength, parameter, count, generation, metadataLength, headerHash);
    }

    private static void WriteCommonHeader(Span<byte> header, string kind, ushort version, int size, int codeLength, int parameter, long count)
    {
        header.Clear();
        Magic.CopyTo(header);
        Encoding.ASCII.GetBytes(kind, header.Slice(4, 4));
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], version);
        BinaryPrimitives.WriteUInt16LittleEndian(header[10..], (ushort)size);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], codeLength);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], (codeLength + 63) >> 6);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], parameter);
        BinaryPrimitives.WriteInt64LittleEndian(header[24..], count);
    }

    private static void CheckWritable(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream is not writable.", nameof(stream));
        }
    }

    private static void WriteHash(Stream stream, ulong value)
    {
        Span<byte> trailer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(trailer, value);
        stream.Write(trailer);
    }

    private static ulong ReadHash(Stream stream, string what)
    {
        Span<byte> trailer = stackalloc byte[8];
        if (stream.ReadAtLeast(trailer, 8, throwOnEndOfStream: false) < 8)
        {
            throw new InvalidDataException($"Truncated Dsh index: {what} is missing.");
        }

        return BinaryPrimitives.ReadUInt64LittleEndian(trailer);
    }

    /// <summary>Reads and hashes <paramref name="length"/> bytes without keeping them.</summary>
    private static void Skip(Stream stream, long length, XxHash3 hash)
    {
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Min(ChunkBytes, Math.Max(length, 1)));
        try
        {
            long done = 0;
            while (done < length)
            {
                int want = (int)Math.Min(buffer.Length, length - done);
                int got = stream.ReadAtLeast(buffer.AsSpan(0, want), want, throwOnEndOfStream: false);
                if (got < want)
                {
                    throw new InvalidDataException($"Truncated Dsh index: the metadata ends after {done + got} of {length} bytes.");
                }

                hash.Append(buffer.AsSpan(0, want));
                done += want;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
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

    /// <summary>
    /// Reads <paramref name="count"/> values, growing the array only as data arrives, so a bogus count cannot
    /// exhaust memory; or, when <paramref name="sized"/> (the stream's length was checked), into an array of the full size at once.
    /// </summary>
    private static T[] ReadLittleEndian<T>(Stream stream, int count, XxHash3 hash, string what, bool sized)
        where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Dsh index files are read on little-endian machines only.");
        }

        int size = Marshal.SizeOf<T>();
        int valuesPerChunk = ChunkBytes / size;
        T[] values = sized ? GC.AllocateUninitializedArray<T>(count) : new T[Math.Min(count, valuesPerChunk)];
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
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16);
        try
        {
            T result = read(stream);
            long extra = stream.Length - stream.Position;
            if (extra != 0)
            {
                throw new InvalidDataException($"Corrupt {what}: {extra} unexpected bytes follow the end of the index.");
            }

            return result;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException && !e.Message.Contains(path, StringComparison.Ordinal))
        {
            // Name the file: the readers work on streams and cannot.
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>What <see cref="Read(Stream, string, bool)"/> found.</summary>
    /// <param name="Store">The rows.</param>
    /// <param name="Parameter">The kind parameter.</param>
    /// <param name="Version">The format version, 1 or 2.</param>
    /// <param name="Generation">The generation (version 2; 0 for version 1).</param>
    /// <param name="Metadata">The metadata bytes when kept (version 2), otherwise null.</param>
    /// <param name="Checksum">The last hash of the chain.</param>
    internal sealed record Contents(CodeStore Store, int Parameter, int Version, long Generation, byte[]? Metadata, ulong Checksum);

    /// <summary>What identifies a file's content: see <see cref="TryReadStamp"/>.</summary>
    /// <param name="Version">The format version.</param>
    /// <param name="Generation">The generation (version 2).</param>
    /// <param name="MetadataLength">The metadata length (version 2).</param>
    /// <param name="Checksum">The last hash of the chain (version 2).</param>
    internal readonly record struct Stamp(int Version, long Generation, long MetadataLength, ulong Checksum);

    private readonly record struct Header(string Kind, ushort Version, int CodeLength, int Parameter, long Count, long Generation, long MetadataLength, ulong Hash);
}
