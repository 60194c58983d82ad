using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Dsh.Hashing.Indexes;
using Dsh.Hashing.Persistence;
using Dsh.Hashing.Tests.TestUtilities;

namespace Dsh.Hashing.Tests.Galleries;

/// <summary>The gallery file (Dsh index format version 2): round trips, what other readers make of it, and damage of every kind.</summary>
public sealed class GalleryFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dsh-gallery-file-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(1, 0)]
    [InlineData(48, 1)]
    [InlineData(64, 300)]
    [InlineData(100, 57)]
    [InlineData(4096, 5)]
    public void SaveLoad_RoundTripsEverything(int bits, int count)
    {
        Gallery gallery = Build(bits, count, seed: bits);
        gallery.Properties = new GalleryProperties { Model = "/models/dsh 64.dshm", Domain = "photo", Root = "/data/фото" };
        if (count > 2)
        {
            gallery.Remove(1);
        }

        string path = Path.Combine(_folder, "g.dshg");
        gallery.Save(path);
        Gallery loaded = Gallery.Load(path);

        Assert.Equal(gallery.CodeLength, loaded.CodeLength);
        Assert.Equal(gallery.Count, loaded.Count);
        Assert.Equal(gallery.NextId, loaded.NextId);
        Assert.Equal(gallery.Properties, loaded.Properties);
        Assert.Equal(gallery.GetItems(), loaded.GetItems());
        Assert.Equal(gallery.GetCategoryCounts(), loaded.GetCategoryCounts());
        Assert.Equal(1, loaded.Generation);
        Assert.False(loaded.HasUnsavedChanges);
        Assert.Null(loaded.LegacyCatalog);
        foreach ((long id, GalleryItem item) in gallery.GetItems())
        {
            Assert.True(loaded.TryFindKey(item.Key, out long found));
            Assert.Equal(id, found);
            Assert.True(gallery.TryGetCode(id, out BinaryCode? a));
            Assert.True(loaded.TryGetCode(id, out BinaryCode? b));
            Assert.Equal(a, b);
        }

        foreach (BinaryCode q in CodeGenerator.Uniform(bits + 1, 5, bits))
        {
            Assert.Equal(gallery.Search(q, 10), loaded.Search(q, 10));
        }
    }

    [Fact]
    public void Stream_IsLeftOpenAndPositionedAfterTheGallery()
    {
        using var stream = new MemoryStream();
        Build(64, 10, 1).Save(stream);
        Build(32, 7, 2).Save(stream);
        stream.WriteByte(42);
        stream.Position = 0;

        Assert.Equal(10, Gallery.Load(stream).Count);
        Assert.Equal(7, Gallery.Load(stream).Count);
        Assert.Equal(42, stream.ReadByte());
        using var forwardOnly = new ForwardOnlyStream(Serialize(Build(128, 20, 3)));
        Assert.Equal(20, Gallery.Load(forwardOnly).Count);
    }

    [Fact]
    public void HammingIndexLoad_ReadsTheCodesOfAGallery()
    {
        Gallery gallery = Build(128, 200, 4);
        string path = Path.Combine(_folder, "g.dshg");
        gallery.Save(path);

        HammingIndex index = HammingIndex.Load(path);
        IndexSnapshot expected = gallery.Snapshot(), actual = index.Snapshot();
        Assert.Equal(expected.Ids, actual.Ids);
        Assert.Equal(expected.Codes.Words.ToArray(), actual.Codes.Words.ToArray());
        using var stream = new MemoryStream(File.ReadAllBytes(path));
        Assert.Equal(200, HammingIndex.Load(stream).Count);
        Assert.Equal(stream.Length, stream.Position);
        Assert.Contains("'FLAT'", Assert.Throws<InvalidDataException>(() => MultiIndexHashIndex.Load(path)).Message);
    }

    [Fact]
    public void Load_AVersion1Index_IsNotAGallery()
    {
        var index = new HammingIndex(64);
        index.Add(1, CodeGenerator.Uniform(1, 1, 64)[0]);
        string path = Path.Combine(_folder, "plain.dshi");
        index.Save(path);
        Assert.Contains("catalog", Assert.Throws<InvalidDataException>(() => Gallery.Load(path)).Message);
        using var stream = new MemoryStream(File.ReadAllBytes(path));
        Assert.Contains("version 1 Dsh index", Assert.Throws<InvalidDataException>(() => Gallery.Load(stream)).Message);
    }

    [Fact]
    public void Load_AVersion2IndexWithoutMetadata_IsNotAGallery()
    {
        var store = new CodeStore(64, [3L], [0xABUL], 1);
        using var stream = new MemoryStream();
        IndexFile.Write(stream, "FLAT", 64, store.Ids, store.Codes, 0, 0, []);
        stream.Position = 0;
        Assert.Contains("no item metadata", Assert.Throws<InvalidDataException>(() => Gallery.Load(stream)).Message);
        stream.Position = 0;
        Assert.Equal(1, HammingIndex.Load(stream).Count);
    }

    [Fact]
    public void Generation_RisesWithEachSaveThatChangesTheFile()
    {
        string path = Path.Combine(_folder, "g.dshg");
        Gallery gallery = Build(64, 3, 1);
        Assert.Equal(0, gallery.Generation);
        Assert.True(gallery.HasUnsavedChanges);
        gallery.Save(path);
        Assert.Equal(1, gallery.Generation);
        Assert.False(gallery.HasUnsavedChanges);
        DateTime written = File.GetLastWriteTimeUtc(path);
        byte[] before = File.ReadAllBytes(path);

        gallery.Save(path); // nothing changed: the file is left as it is
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(1, Gallery.Load(path).Generation);

        gallery.Add(CodeGenerator.Uniform(2, 1, 64)[0], new GalleryItem("new"));
        using (var stream = new MemoryStream())
        {
            gallery.Save(stream); // a stream gets the next generation but does not count as saved
            stream.Position = 0;
            Assert.Equal(2, Gallery.Load(stream).Generation);
        }

        Assert.True(gallery.HasUnsavedChanges);
        gallery.Save(path);
        Assert.Equal(2, gallery.Generation);
        Assert.Equal(2, Gallery.Load(path).Generation);
        Assert.True(File.GetLastWriteTimeUtc(path) >= written);

        // Replacing a file of a higher generation writes one above it.
        string other = Path.Combine(_folder, "other.dshg");
        Gallery high = Build(64, 1, 9);
        for (int i = 0; i < 5; i++)
        {
            high.Add(CodeGenerator.Uniform(i, 1, 64)[0], new GalleryItem($"h{i}"));
            high.Save(other);
        }

        Assert.Equal(5, Gallery.Load(other).Generation);
        gallery.Save(other);
        Assert.Equal(6, gallery.Generation);
        Assert.Equal(6, Gallery.Load(other).Generation);
    }

    [Fact]
    public void Save_MissingFolder_Throws()
    {
        Assert.Throws<DirectoryNotFoundException>(() => Build(8, 1, 1).Save(Path.Combine(_folder, "no", "such", "g.dshg")));
        Assert.Throws<FileNotFoundException>(() => Gallery.Load(Path.Combine(_folder, "missing.dshg")));
    }

    [Fact]
    public void EveryTruncation_ThrowsInvalidData()
    {
        byte[] bytes = Serialize(Build(72, 60, 5));
        var rng = new Random(1);
        var lengths = Enumerable.Range(0, 1000).Select(_ => rng.Next(bytes.Length)).Concat(Enumerable.Range(0, 80)).Concat(Enumerable.Range(bytes.Length - 40, 40)).Distinct();
        foreach (int length in lengths)
        {
            var gallery = Record.Exception(() => Gallery.Load(new MemoryStream(bytes, 0, length)));
            Assert.True(gallery is InvalidDataException, $"gallery truncated to {length} bytes: {gallery?.GetType().Name ?? "no exception"}");
            var index = Record.Exception(() => HammingIndex.Load(new MemoryStream(bytes, 0, length)));
            Assert.True(index is InvalidDataException, $"index truncated to {length} bytes: {index?.GetType().Name ?? "no exception"}");
            var forwardOnly = Record.Exception(() => Gallery.Load(new ForwardOnlyStream(bytes.AsSpan(0, length).ToArray())));
            Assert.True(forwardOnly is InvalidDataException, $"forward-only, truncated to {length} bytes: {forwardOnly?.GetType().Name ?? "no exception"}");
        }
    }

    [Fact]
    public void EveryBitFlip_ThrowsInvalidData()
    {
        Gallery source = Build(72, 40, 6);
        source.Properties = new GalleryProperties { Model = "m", Domain = "photo" };
        byte[] original = Serialize(source);
        int metadataStart = original.Length - 8 - (int)BinaryPrimitives.ReadInt64LittleEndian(original.AsSpan(40));
        var rng = new Random(2);
        // Random positions, plus every bit of the header, of the metadata and of the checksums.
        var positions = Enumerable.Range(0, 1000).Select(_ => rng.Next(original.Length * 8))
            .Concat(Enumerable.Range(0, 64 * 8))
            .Concat(Enumerable.Range((metadataStart - 8) * 8, (original.Length - metadataStart + 8) * 8));
        foreach (int bit in positions)
        {
            byte[] bytes = (byte[])original.Clone();
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            var gallery = Record.Exception(() => Gallery.Load(new MemoryStream(bytes)));
            Assert.True(gallery is InvalidDataException, $"bit {bit} flipped: {gallery?.GetType().Name ?? "no exception"}");
            var index = Record.Exception(() => HammingIndex.Load(new MemoryStream(bytes)));
            Assert.True(index is InvalidDataException, $"bit {bit} flipped, as an index: {index?.GetType().Name ?? "no exception"}");
        }
    }

    [Fact]
    public void Load_HugeBogusMetadataLength_FailsWithoutAllocatingIt()
    {
        // A well-formed header and payload (valid checksums) that claim 2 GiB of metadata, followed by a few bytes.
        byte[] bytes = Serialize(Build(64, 3, 1));
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(40), Array.MaxLength);
        ulong header = XxHash3.HashToUInt64(bytes.AsSpan(0, 56));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(56), header);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(64 + 48), XxHash3.HashToUInt64(bytes.AsSpan(64, 48), unchecked((long)header)));
        Assert.Contains("Truncated", Assert.Throws<InvalidDataException>(() => Gallery.Load(new MemoryStream(bytes))).Message);
        Assert.Contains("Truncated", Assert.Throws<InvalidDataException>(() => Gallery.Load(new ForwardOnlyStream(bytes))).Message);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(40), -1);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(56), XxHash3.HashToUInt64(bytes.AsSpan(0, 56)));
        Assert.Contains("metadata length -1", Assert.Throws<InvalidDataException>(() => Gallery.Load(new MemoryStream(bytes))).Message);
    }

    [Theory]
    [InlineData(48, "reserved header bytes 48..55")]
    [InlineData(39, "generation")]
    public void Load_HeaderFieldsWithValidChecksum_AreStillChecked(int offset, string expected)
    {
        byte[] bytes = Serialize(Build(64, 3, 1));
        bytes[offset] = 0x80;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(56), XxHash3.HashToUInt64(bytes.AsSpan(0, 56)));
        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => Gallery.Load(new MemoryStream(bytes))).Message);
    }

    [Fact]
    public void Load_UnknownVersion_SaysSo()
    {
        byte[] bytes = Serialize(Build(64, 3, 1));
        bytes[8] = 3;
        Assert.Contains("version 3 is not supported", Assert.Throws<InvalidDataException>(() => Gallery.Load(new MemoryStream(bytes))).Message);
    }

    [Fact]
    public void Load_TrailingBytes_AreRejected()
    {
        string path = Path.Combine(_folder, "g.dshg");
        Build(64, 3, 1).Save(path);
        File.AppendAllText(path, "x");
        Assert.Contains("1 unexpected bytes", Assert.Throws<InvalidDataException>(() => Gallery.Load(path)).Message);
        Assert.Contains("unexpected bytes", Assert.Throws<InvalidDataException>(() => HammingIndex.Load(path)).Message);
    }

    // Metadata of the small gallery below (no properties): 0 "GLRY", 4 reserved, 8 next id, 16 property count,
    // 20 category count, 24 key bytes, 32 category "x" (2 + 1 bytes), 35 category of each row (3 × 4),
    // 47 key length of each row (3 × 2), 53 keys "a", "bb", "c".
    [Theory]
    [InlineData(0, new byte[] { (byte)'X' }, "does not start with \"GLRY\"")]
    [InlineData(4, new byte[] { 1 }, "reserved metadata bytes")]
    [InlineData(8, new byte[] { 2, 0, 0, 0, 0, 0, 0, 0 }, "next id 2 is not above every id")]
    [InlineData(16, new byte[] { 17 }, "property count 17")]
    [InlineData(20, new byte[] { 4 }, "category count 4")]
    [InlineData(24, new byte[] { 5 }, "add up to 4 bytes, the header says 5")]
    [InlineData(32, new byte[] { 0xFF }, "the metadata ends inside category 1")]
    [InlineData(35, new byte[] { 2 }, "has category 2; only 1 are listed")]
    [InlineData(47, new byte[] { 0, 0, 3 }, "the key of id 0 is 0 bytes long")]
    [InlineData(53, new byte[] { 0xFF }, "the key of id 0 is not valid UTF-8")]
    [InlineData(53, new byte[] { 0x01 }, "the key of id 0 has a control character (U+0001)")]
    [InlineData(54, new byte[] { 0xC2, 0x85 }, "the key of id 1 has a control character (U+0085)")]
    [InlineData(56, new byte[] { (byte)'a' }, "the key 'a' belongs to two ids (0 and 2)")]
    [InlineData(34, new byte[] { 0x7F }, "category 1 has a control character (U+007F)")]
    public void Load_MetadataThatBreaksARule_WithValidChecksums_SaysWhat(int offset, byte[] patch, string expected)
    {
        byte[] metadata = SmallMetadata(out byte[] file);
        patch.CopyTo(metadata, offset);
        var e = Assert.Throws<InvalidDataException>(() => Gallery.Load(new MemoryStream(WithMetadata(file, metadata))));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("Corrupt gallery", e.Message);
    }

    [Fact]
    public void Load_ExtraBytesAfterTheKeys_AreRejected()
    {
        byte[] metadata = SmallMetadata(out byte[] file);
        Assert.Contains("2 unexpected bytes follow the keys", Assert.Throws<InvalidDataException>(() => Gallery.Load(new MemoryStream(WithMetadata(file, [.. metadata, 0, 0])))).Message);
        Assert.Contains("ends inside its header", Assert.Throws<InvalidDataException>(() => Gallery.Load(new MemoryStream(WithMetadata(file, metadata[..20])))).Message);
    }

    [Fact]
    public void Load_UnknownOrRepeatedProperty_IsRejected()
    {
        var gallery = new Gallery(8, new GalleryProperties { Model = "m", Domain = "d" });
        gallery.Add(CodeGenerator.Uniform(1, 1, 8)[0], new GalleryItem("k"));
        byte[] file = Serialize(gallery);
        byte[] metadata = MetadataOf(file);
        // Properties start at 32: [5]"model"[1, 0]"m", then [6]"domain"[1, 0]"d".
        Assert.Equal("model", Encoding.ASCII.GetString(metadata, 33, 5));
        byte[] unknown = (byte[])metadata.Clone();
        unknown[37] = (byte)'x';
        Assert.Contains("'modex' is unknown", Assert.Throws<InvalidDataException>(() => Gallery.Load(new MemoryStream(WithMetadata(file, unknown)))).Message);
        byte[] repeated = [.. metadata[..41], 5, .. "model"u8, 1, 0, (byte)'d', .. metadata[51..]]; // "domain" becomes a second "model"
        Assert.Contains("'model' appears twice", Assert.Throws<InvalidDataException>(() => Gallery.Load(new MemoryStream(WithMetadata(file, repeated)))).Message);
    }

    /// <summary>Three items ("a", "x"), ("bb", none), ("c", "x") under ids 0, 1, 2; returns the metadata, the file in <paramref name="file"/>.</summary>
    private static byte[] SmallMetadata(out byte[] file)
    {
        var gallery = new Gallery(64);
        BinaryCode[] codes = CodeGenerator.Uniform(11, 3, 64);
        gallery.Add(0, codes[0], new GalleryItem("a", "x"));
        gallery.Add(1, codes[1], new GalleryItem("bb"));
        gallery.Add(2, codes[2], new GalleryItem("c", "x"));
        file = Serialize(gallery);
        byte[] metadata = MetadataOf(file);
        Assert.Equal(57, metadata.Length);
        Assert.Equal("abbc", Encoding.ASCII.GetString(metadata, 53, 4));
        return metadata;
    }

    private static byte[] MetadataOf(byte[] file)
    {
        int length = (int)BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(40));
        return file.AsSpan(file.Length - 8 - length, length).ToArray();
    }

    /// <summary>The file with other metadata, every checksum recomputed, so only the metadata rules can object.</summary>
    private static byte[] WithMetadata(byte[] file, byte[] metadata)
    {
        int oldLength = (int)BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(40));
        int payloadEnd = file.Length - 8 - oldLength; // after the ids, codes and their hash
        byte[] result = [.. file.AsSpan(0, payloadEnd), .. metadata, 0, 0, 0, 0, 0, 0, 0, 0];
        BinaryPrimitives.WriteInt64LittleEndian(result.AsSpan(40), metadata.Length);
        ulong header = XxHash3.HashToUInt64(result.AsSpan(0, 56));
        BinaryPrimitives.WriteUInt64LittleEndian(result.AsSpan(56), header);
        ulong payload = XxHash3.HashToUInt64(result.AsSpan(64, payloadEnd - 8 - 64), unchecked((long)header));
        BinaryPrimitives.WriteUInt64LittleEndian(result.AsSpan(payloadEnd - 8), payload);
        ulong last = XxHash3.HashToUInt64(metadata, unchecked((long)payload));
        BinaryPrimitives.WriteUInt64LittleEndian(result.AsSpan(result.Length - 8), last);
        return result;
    }

    private static byte[] Serialize(Gallery gallery)
    {
        using var stream = new MemoryStream();
        gallery.Save(stream);
        return stream.ToArray();
    }

    internal static Gallery Build(int bits, int count, int seed)
    {
        var gallery = new Gallery(bits);
        BinaryCode[] codes = CodeGenerator.Uniform(seed, count, bits);
        string[] categories = ["cat", "dog", "кошка", "🐟"];
        var items = Enumerable.Range(0, count).Select(i => new GalleryItem($"photos/{categories[i % 4]}/{i:D5} é.jpg", i % 5 == 4 ? null : categories[i % 4])).ToArray();
        gallery.AddRange(BinaryCodeSet.FromCodes(codes, bits), items);
        return gallery;
    }

    /// <summary>A read-only stream that cannot seek, as a network or pipe stream.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => base.Position; set => throw new NotSupportedException(); }
    }
}
