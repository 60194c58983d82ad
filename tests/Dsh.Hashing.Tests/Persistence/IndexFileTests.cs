using Dsh.Hashing.Tests.TestUtilities;

namespace Dsh.Hashing.Tests.Persistence;

public sealed class IndexFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dsh-index-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(1, 0)]
    [InlineData(64, 1)]
    [InlineData(100, 37)]
    [InlineData(128, 500)]
    [InlineData(4096, 3)]
    public void SaveLoad_RoundTripsIdsCodesAndSearch(int bits, int count)
    {
        HammingIndex index = Build(bits, count, seed: bits);
        string path = Path.Combine(_folder, "a.dshi");
        index.Save(path);
        HammingIndex loaded = HammingIndex.Load(path);

        Assert.Equal(index.CodeLength, loaded.CodeLength);
        Assert.Equal(index.Count, loaded.Count);
        foreach (BinaryCode q in CodeGenerator.Uniform(bits + 1, 5, bits))
        {
            Assert.Equal(index.Search(q, 10), loaded.Search(q, 10));
        }
    }

    [Fact]
    public void Stream_IsLeftOpenAndPositionedAfterTheIndex()
    {
        HammingIndex a = Build(64, 10, 1), b = Build(32, 7, 2);
        using var stream = new MemoryStream();
        a.Save(stream);
        b.Save(stream);
        stream.WriteByte(42);
        stream.Position = 0;

        Assert.Equal(10, HammingIndex.Load(stream).Count);
        Assert.Equal(7, HammingIndex.Load(stream).Count);
        Assert.Equal(42, stream.ReadByte());
    }

    [Fact]
    public void Load_NonSeekableStream_Works()
    {
        HammingIndex index = Build(128, 50, 3);
        using var stream = new MemoryStream();
        index.Save(stream);
        using var forwardOnly = new ForwardOnlyStream(stream.ToArray());
        Assert.Equal(50, HammingIndex.Load(forwardOnly).Count);
    }

    [Fact]
    public void Load_EmptyFile_SaysEmpty()
    {
        string path = Path.Combine(_folder, "empty");
        File.WriteAllBytes(path, []);
        Assert.Contains("empty", Assert.Throws<InvalidDataException>(() => HammingIndex.Load(path)).Message);
    }

    [Fact]
    public void Load_ForeignFile_SaysNotADshIndex()
    {
        string path = Path.Combine(_folder, "foreign.png");
        File.WriteAllBytes(path, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0]);
        string message = Assert.Throws<InvalidDataException>(() => HammingIndex.Load(path)).Message;
        Assert.Contains("Not a Dsh index", message);
        Assert.Contains(path, message); // the error says which file
    }

    [Fact]
    public void Load_TrailingBytes_AreRejected()
    {
        string path = Path.Combine(_folder, "trailing");
        Build(64, 3, 1).Save(path);
        File.AppendAllText(path, "x");
        Assert.Contains("unexpected bytes", Assert.Throws<InvalidDataException>(() => HammingIndex.Load(path)).Message);
    }

    [Fact]
    public void Load_HugeBogusCount_FailsWithoutAllocatingIt()
    {
        // A well-formed header (valid checksum) that claims 2^31 / 2 codes, followed by almost nothing.
        using var stream = new MemoryStream();
        Build(128, 1, 1).Save(stream);
        byte[] bytes = stream.ToArray();
        BitConverter.TryWriteBytes(bytes.AsSpan(24), (long)(Array.MaxLength / 2));
        BitConverter.TryWriteBytes(bytes.AsSpan(40), System.IO.Hashing.XxHash3.HashToUInt64(bytes.AsSpan(0, 40)));

        var seekable = Assert.Throws<InvalidDataException>(() => HammingIndex.Load(new MemoryStream(bytes)));
        Assert.Contains("Truncated", seekable.Message);
        var forwardOnly = Assert.Throws<InvalidDataException>(() => HammingIndex.Load(new ForwardOnlyStream(bytes)));
        Assert.Contains("Truncated", forwardOnly.Message);
    }

    [Fact]
    public void Load_DuplicateIdsWithValidChecksums_AreRejected()
    {
        using var stream = new MemoryStream();
        Build(64, 2, 1).Save(stream);
        byte[] bytes = stream.ToArray();
        Array.Copy(bytes, 48, bytes, 56, 8); // second id = first id
        int payload = bytes.Length - 48 - 8;
        long seed = BitConverter.ToInt64(bytes, 40); // the payload hash is seeded with the header hash
        BitConverter.TryWriteBytes(bytes.AsSpan(bytes.Length - 8), System.IO.Hashing.XxHash3.HashToUInt64(bytes.AsSpan(48, payload), seed));
        Assert.Contains("appears twice", Assert.Throws<InvalidDataException>(() => HammingIndex.Load(new MemoryStream(bytes))).Message);
    }

    [Fact]
    public void Load_WrongKind_NamesIt()
    {
        using var stream = new MemoryStream();
        Build(64, 2, 1).Save(stream);
        stream.Position = 0;
        var ex = Assert.Throws<InvalidDataException>(() => MultiIndexHashIndex.Load(stream));
        Assert.Contains("'FLAT'", ex.Message);
    }

    [Theory]
    [InlineData(32, "reserved")]
    [InlineData(20, "no parameter")]
    public void Load_HeaderFieldsWithValidChecksum_AreStillChecked(int offset, string expected)
    {
        byte[] bytes = Serialize(Build(64, 3, 1));
        bytes[offset] = 1;
        BitConverter.TryWriteBytes(bytes.AsSpan(40), System.IO.Hashing.XxHash3.HashToUInt64(bytes.AsSpan(0, 40)));
        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => HammingIndex.Load(new MemoryStream(bytes))).Message);
    }

    [Fact]
    public void Load_PayloadBehindAnotherHeader_IsRejected()
    {
        // The same ids and codes saved as FLAT and as MIHX: identical payload bytes, but each payload hash is
        // seeded with its own header's hash, so a FLAT payload (with its trailer) behind a MIHX header fails.
        HammingIndex flat = Build(64, 10, 1);
        var mih = new MultiIndexHashIndex(64);
        mih.AddRange(flat.Snapshot().Ids, flat.Snapshot().Codes);
        byte[] a = Serialize(flat);
        using var stream = new MemoryStream();
        mih.Save(stream);
        byte[] b = stream.ToArray();
        Assert.Equal(a.Length, b.Length);
        Assert.Equal(a.AsSpan(48, a.Length - 56).ToArray(), b.AsSpan(48, b.Length - 56).ToArray());

        Array.Copy(a, 48, b, 48, a.Length - 48);

        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => MultiIndexHashIndex.Load(new MemoryStream(b))).Message);
    }

    [Fact]
    public void MultiIndexHashFile_EveryTruncationAndBitFlip_ThrowsInvalidData()
    {
        var index = new MultiIndexHashIndex(128, 4);
        index.AddRange(Enumerable.Range(0, 100).Select(i => (long)i).ToArray(), BinaryCodeSet.FromCodes(CodeGenerator.Uniform(8, 100, 128), 128));
        using var stream = new MemoryStream();
        index.Save(stream);
        byte[] original = stream.ToArray();
        var rng = new Random(3);
        for (int trial = 0; trial < 300; trial++)
        {
            int length = rng.Next(original.Length);
            Assert.IsType<InvalidDataException>(Record.Exception(() => MultiIndexHashIndex.Load(new MemoryStream(original, 0, length))));
            byte[] flipped = (byte[])original.Clone();
            int bit = rng.Next(original.Length * 8);
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.IsType<InvalidDataException>(Record.Exception(() => MultiIndexHashIndex.Load(new MemoryStream(flipped))));
        }
    }

    [Fact]
    public void EveryTruncation_ThrowsInvalidData()
    {
        byte[] bytes = Serialize(Build(128, 200, 5));
        var rng = new Random(1);
        var lengths = Enumerable.Range(0, 1000).Select(_ => rng.Next(bytes.Length)).Concat(Enumerable.Range(0, 60)).Distinct();
        foreach (int length in lengths)
        {
            var ex = Record.Exception(() => HammingIndex.Load(new MemoryStream(bytes, 0, length)));
            Assert.True(ex is InvalidDataException, $"truncated to {length} bytes: {ex?.GetType().Name ?? "no exception"}");
        }
    }

    [Fact]
    public void EveryBitFlip_ThrowsInvalidData()
    {
        byte[] original = Serialize(Build(128, 200, 6));
        var rng = new Random(2);
        // Random positions plus every bit of the header and the trailer.
        var positions = Enumerable.Range(0, 1000).Select(_ => rng.Next(original.Length * 8))
            .Concat(Enumerable.Range(0, 48 * 8)).Concat(Enumerable.Range((original.Length - 8) * 8, 64));
        foreach (int bit in positions)
        {
            byte[] bytes = (byte[])original.Clone();
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            var ex = Record.Exception(() => HammingIndex.Load(new MemoryStream(bytes)));
            Assert.True(ex is InvalidDataException, $"bit {bit} flipped: {ex?.GetType().Name ?? "no exception"}");
        }

    }

    [Fact]
    public void Save_ToPath_IsAtomic_OldFileSurvivesAFailedSave()
    {
        string path = Path.Combine(_folder, "index.dshi");
        HammingIndex old = Build(64, 20, 1);
        old.Save(path);
        byte[] before = File.ReadAllBytes(path);

        // A save that dies mid-write (the writer throws after some bytes) leaves the old file as it was.
        Assert.Throws<IOException>(() => Dsh.Hashing.Persistence.AtomicFile.Write(path, s =>
        {
            s.Write(new byte[100]);
            throw new IOException("disk gone");
        }));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_folder));
        Assert.Equal(20, HammingIndex.Load(path).Count);

        Build(64, 30, 2).Save(path);
        Assert.Equal(30, HammingIndex.Load(path).Count);
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public void Save_MissingFolder_Throws()
    {
        Assert.Throws<DirectoryNotFoundException>(() => Build(8, 1, 1).Save(Path.Combine(_folder, "no", "such", "x.dshi")));
        Assert.Throws<FileNotFoundException>(() => HammingIndex.Load(Path.Combine(_folder, "missing.dshi")));
    }

    private static byte[] Serialize(HammingIndex index)
    {
        using var stream = new MemoryStream();
        index.Save(stream);
        return stream.ToArray();
    }

    private static HammingIndex Build(int bits, int count, int seed)
    {
        var index = new HammingIndex(bits);
        BinaryCode[] codes = CodeGenerator.Uniform(seed, count, bits);
        index.AddRange(Enumerable.Range(0, count).Select(i => (long)(i * 7919) - 50).ToArray(), BinaryCodeSet.FromCodes(codes, bits));
        return index;
    }

    /// <summary>A read-only stream that cannot seek, as a network or pipe stream.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => base.Position; set => throw new NotSupportedException(); }
    }
}
