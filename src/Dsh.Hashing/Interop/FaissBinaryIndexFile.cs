using System.Buffers.Binary;
using System.Text;
using Dsh.Hashing.Internal;
using Dsh.Hashing.Persistence;

namespace Dsh.Hashing.Interop;

/// <summary>
/// Reads and writes FAISS's binary index files (<c>faiss.write_index_binary</c> /
/// <c>faiss.read_index_binary</c>), so codes move to FAISS (GPU, sharded) and back.
/// </summary>
/// <remarks>
/// <para>Written: <c>IndexBinaryIDMap</c> (fourcc <c>IBMp</c>) around <c>IndexBinaryFlat</c> (<c>IBxF</c>),
/// which keeps the ids; or, with <c>includeIds: false</c>, a bare <c>IndexBinaryFlat</c> whose rows FAISS
/// numbers 0..n-1 in the index's row order. Read: those two and <c>IndexBinaryIDMap2</c> (<c>IBM2</c>).</para>
/// <para>Layout (little-endian), byte for byte as FAISS 1.7.3 writes it (an id map's own header has
/// <c>code_size</c> 0 there; the reader accepts 0 or d / 8): fourcc, then the header <c>int32 d</c>,
/// <c>int32 code_size</c>, <c>int64 ntotal</c>, <c>uint8 is_trained</c>, <c>int32 metric_type</c>; a flat index
/// then holds <c>uint64 n</c> and n code bytes; an id map holds its sub-index, then <c>uint64 n</c> and n
/// <c>int64</c> ids. Code bytes use the <see cref="BinaryCode.ToBytes"/> layout. FAISS needs
/// <c>d % 8 == 0</c>. FAISS files carry no checksum: every size is checked against the others instead.</para>
/// </remarks>
public static class FaissBinaryIndexFile
{
    private const int MetricL2 = 1;

    /// <summary>Writes <paramref name="snapshot"/> as a FAISS binary index.</summary>
    /// <param name="snapshot">The ids and codes (<see cref="HammingIndex.Snapshot"/>).</param>
    /// <param name="stream">A writable stream; left open.</param>
    /// <param name="includeIds">True: an <c>IndexBinaryIDMap</c> keeping the ids; false: a bare <c>IndexBinaryFlat</c>.</param>
    /// <exception cref="ArgumentException">The code length is not a multiple of 8 (FAISS cannot hold it).</exception>
    public static void Write(IndexSnapshot snapshot, Stream stream, bool includeIds = true)
    {
        Guard.NotNull(snapshot);
        Guard.NotNull(stream);
        if (snapshot.CodeLength % 8 != 0)
        {
            throw new ArgumentException($"FAISS binary indexes need a code length that is a multiple of 8; these codes have {snapshot.CodeLength} bits.", nameof(snapshot));
        }

        using var writer = new BinaryWriter(stream, Encoding.ASCII, leaveOpen: true);
        if (includeIds)
        {
            // FAISS 1.7.3 leaves the id map's own code_size at 0; write the same bytes.
            WriteHeader(writer, "IBMp", snapshot.CodeLength, 0, snapshot.Count);
        }

        WriteHeader(writer, "IBxF", snapshot.CodeLength, snapshot.CodeLength / 8, snapshot.Count);
        int codeSize = snapshot.CodeLength / 8;
        writer.Write((ulong)((long)snapshot.Count * codeSize));
        var row = new byte[codeSize];
        for (int i = 0; i < snapshot.Count; i++)
        {
            snapshot.Codes.CopyBytesTo(i, row);
            writer.Write(row);
        }

        if (includeIds)
        {
            writer.Write((ulong)snapshot.Count);
            foreach (long id in snapshot.Ids)
            {
                writer.Write(id);
            }
        }
    }

    /// <summary>Writes a FAISS binary index file atomically (see <see cref="AtomicFile"/>).</summary>
    /// <param name="snapshot">The ids and codes.</param>
    /// <param name="path">The file.</param>
    /// <param name="includeIds">See <see cref="Write(IndexSnapshot, Stream, bool)"/>.</param>
    public static void Write(IndexSnapshot snapshot, string path, bool includeIds = true) =>
        AtomicFile.Write(path, s => Write(snapshot, s, includeIds));

    /// <summary>Reads a FAISS <c>IndexBinaryFlat</c>, <c>IndexBinaryIDMap</c> or <c>IndexBinaryIDMap2</c>.</summary>
    /// <param name="stream">The stream, positioned at the index; left open.</param>
    /// <returns>The ids (0..n-1 for a bare flat index) and codes.</returns>
    /// <exception cref="InvalidDataException">The data is not such a FAISS index, or is truncated or inconsistent.</exception>
    public static IndexSnapshot Read(Stream stream)
    {
        Guard.NotNull(stream);
        using var reader = new BinaryReader(stream, Encoding.ASCII, leaveOpen: true);
        try
        {
            string fourcc = ReadFourcc(reader);
            (int codeLength, long ntotal) = ReadHeader(reader, fourcc);
            switch (fourcc)
            {
                case "IBxF":
                {
                    BinaryCodeSet codes = ReadFlatBody(reader, codeLength, ntotal);
                    return new IndexSnapshot(Enumerable.Range(0, codes.Count).Select(i => (long)i).ToArray(), codes);
                }

                case "IBMp":
                case "IBM2":
                {
                    string inner = ReadFourcc(reader);
                    if (inner != "IBxF")
                    {
                        throw new InvalidDataException($"FAISS {fourcc} wraps a '{inner}' index; only IndexBinaryFlat (IBxF) can be read.");
                    }

                    (int innerCodeLength, long innerTotal) = ReadHeader(reader, inner);
                    if (innerCodeLength != codeLength || innerTotal != ntotal)
                    {
                        throw new InvalidDataException($"FAISS {fourcc} says d={codeLength}, ntotal={ntotal} but its flat index says d={innerCodeLength}, ntotal={innerTotal}.");
                    }

                    BinaryCodeSet codes = ReadFlatBody(reader, codeLength, ntotal);
                    ulong idCount = reader.ReadUInt64();
                    if (idCount != (ulong)ntotal)
                    {
                        throw new InvalidDataException($"FAISS {fourcc} holds {ntotal} codes but {idCount} ids.");
                    }

                    // The code bytes were all there, so ntotal is backed by data; still grow the ids as they arrive.
                    var ids = new List<long>(Math.Min(codes.Count, 1 << 16));
                    var seen = new HashSet<long>();
                    for (long i = 0; i < ntotal; i++)
                    {
                        long id = reader.ReadInt64();
                        if (!seen.Add(id))
                        {
                            throw new InvalidDataException($"FAISS {fourcc} holds id {id} twice; Dsh indexes need unique ids.");
                        }

                        ids.Add(id);
                    }

                    return new IndexSnapshot(ids.ToArray(), codes);
                }

                default:
                    throw new InvalidDataException($"FAISS index type '{fourcc}' is not supported; expected IBxF, IBMp or IBM2.");
            }
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("Truncated FAISS binary index: the data ends early.");
        }
    }

    /// <summary>Reads a FAISS binary index file; see <see cref="Read(Stream)"/>.</summary>
    /// <param name="path">The file.</param>
    public static IndexSnapshot Read(string path) => IndexFile.LoadFile(path, Read, "FAISS binary index");

    /// <summary>Reads a FAISS binary index file into a new <see cref="HammingIndex"/>.</summary>
    /// <param name="path">The file.</param>
    public static HammingIndex ReadHammingIndex(string path)
    {
        IndexSnapshot snapshot = Read(path);
        var index = new HammingIndex(snapshot.CodeLength);
        index.AddRange(snapshot.Ids, snapshot.Codes);
        return index;
    }

    private static void WriteHeader(BinaryWriter writer, string fourcc, int d, int codeSize, long ntotal)
    {
        writer.Write(Encoding.ASCII.GetBytes(fourcc));
        writer.Write(d);
        writer.Write(codeSize);
        writer.Write(ntotal);
        writer.Write((byte)1); // is_trained
        writer.Write(MetricL2); // FAISS's default metric field; binary indexes always use Hamming
    }

    private static string ReadFourcc(BinaryReader reader)
    {
        byte[] bytes = reader.ReadBytes(4);
        if (bytes.Length == 0)
        {
            throw new InvalidDataException("Not a FAISS binary index: the input is empty.");
        }

        if (bytes.Length < 4)
        {
            throw new InvalidDataException("Truncated FAISS binary index: the type code is cut short.");
        }

        return bytes.All(b => b is >= 0x20 and < 0x7F) ? Encoding.ASCII.GetString(bytes) : "0x" + Convert.ToHexString(bytes);
    }

    private static (int CodeLength, long Ntotal) ReadHeader(BinaryReader reader, string fourcc)
    {
        int d = reader.ReadInt32();
        int codeSize = reader.ReadInt32();
        long ntotal = reader.ReadInt64();
        reader.ReadByte(); // is_trained
        reader.ReadInt32(); // metric_type
        if (d <= 0 || d % 8 != 0 || d > BinaryCode.MaxCodeLength)
        {
            throw new InvalidDataException($"FAISS {fourcc}: d = {d} is not a multiple of 8 between 8 and {BinaryCode.MaxCodeLength}.");
        }

        // FAISS 1.7.3 writes code_size 0 in an id map's own header; the flat index always has d / 8.
        if (codeSize != d / 8 && !(fourcc != "IBxF" && codeSize == 0))
        {
            throw new InvalidDataException($"FAISS {fourcc}: code_size {codeSize} does not match d = {d}.");
        }

        if (ntotal < 0 || ntotal > Array.MaxLength / (d / 8))
        {
            throw new InvalidDataException($"FAISS {fourcc}: ntotal {ntotal} is out of range.");
        }

        return (d, ntotal);
    }

    private static BinaryCodeSet ReadFlatBody(BinaryReader reader, int codeLength, long ntotal)
    {
        ulong byteCount = reader.ReadUInt64();
        long expected = ntotal * (codeLength / 8);
        if (byteCount != (ulong)expected)
        {
            throw new InvalidDataException($"FAISS IBxF: {byteCount} code bytes for {ntotal} codes of {codeLength / 8} bytes (expected {expected}).");
        }

        if (reader.BaseStream.CanSeek && reader.BaseStream.Length - reader.BaseStream.Position < expected)
        {
            throw new InvalidDataException($"Truncated FAISS binary index: {expected} code bytes announced, {reader.BaseStream.Length - reader.BaseStream.Position} left.");
        }

        // Read in chunks so that a bogus size on a forward-only stream fails at the end of the data, not in the allocator.
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[1 << 20];
        long left = expected;
        while (left > 0)
        {
            int got = reader.Read(chunk, 0, (int)Math.Min(chunk.Length, left));
            if (got == 0)
            {
                throw new EndOfStreamException();
            }

            buffer.Write(chunk, 0, got);
            left -= got;
        }

        return BinaryCodeSet.FromBytes(buffer.GetBuffer().AsSpan(0, (int)expected), codeLength);
    }
}
