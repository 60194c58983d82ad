using System.Text;
using Dsh.Hashing.Interop;
using Dsh.Hashing.Tests.TestUtilities;

namespace Dsh.Hashing.Tests.Indexes;

/// <summary><see cref="HammingIndexFile.Load"/>: each kind of file comes back as what it holds; anything else is refused, naming the file.</summary>
public sealed class HammingIndexFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dsh-indexfile-").FullName;
    private readonly BinaryCode[] _codes = CodeGenerator.Clustered(21, 200, 64, centres: 4, flip: 0.1);
    private readonly long[] _ids = Enumerable.Range(0, 200).Select(i => (i * 7L) - 50).ToArray();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Load_FlatIndex_IsAHammingIndex()
    {
        var flat = new HammingIndex(64);
        flat.AddRange(_ids, BinaryCodeSet.FromCodes(_codes, 64));
        string path = Write("flat.dshi", flat.Save);

        HammingIndexFile file = HammingIndexFile.Load(path);

        var index = Assert.IsType<HammingIndex>(file.Index);
        Assert.Null(file.Gallery);
        Assert.Equal(Path.GetFullPath(path), file.Path);
        Assert.Equal(64, file.CodeLength);
        Assert.Equal(flat.Snapshot().Ids, index.Snapshot().Ids);
        Assert.Equal(flat.Search(_codes[3], 10), index.Search(_codes[3], 10));
    }

    [Fact]
    public void Load_MultiIndexHashIndex_IsOne_WithItsSubstringCount()
    {
        var mih = new MultiIndexHashIndex(64, substringCount: 5);
        mih.AddRange(_ids, BinaryCodeSet.FromCodes(_codes, 64));
        string path = Write("mih.dshi", mih.Save);

        HammingIndexFile file = HammingIndexFile.Load(path);

        var index = Assert.IsType<MultiIndexHashIndex>(file.Index);
        Assert.Null(file.Gallery);
        Assert.Equal(5, index.SubstringCount);
        Assert.Equal(mih.Search(_codes[9], 10), index.Search(_codes[9], 10));
    }

    [Fact]
    public void Load_Gallery_IsAGallery_WithItsItems()
    {
        var gallery = new Gallery(64, new GalleryProperties { Model = "m.dshm" });
        for (int i = 0; i < 20; i++)
        {
            gallery.Add(_codes[i], new GalleryItem($"photo-{i}.png", i % 2 == 0 ? "even" : null));
        }

        string path = Path.Combine(_folder, "photos.dshg");
        gallery.Save(path);

        HammingIndexFile file = HammingIndexFile.Load(path);

        Assert.Null(file.Index);
        Gallery loaded = Assert.IsType<Gallery>(file.Gallery);
        Assert.Equal(64, file.CodeLength);
        Assert.Equal(20, loaded.Count);
        Assert.Equal("m.dshm", loaded.Properties.Model);
        Assert.True(loaded.TryFindKey("photo-7.png", out long id));
        Assert.Equal(gallery.Search(_codes[7], 5), loaded.Search(_codes[7], 5));
        Assert.Equal(7, id);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Load_FaissBinaryIndex_IsAHammingIndex(bool includeIds)
    {
        var flat = new HammingIndex(64);
        flat.AddRange(_ids, BinaryCodeSet.FromCodes(_codes, 64));
        string path = Path.Combine(_folder, "codes.faissindex");
        FaissBinaryIndexFile.Write(flat.Snapshot(), path, includeIds);

        HammingIndexFile file = HammingIndexFile.Load(path);

        var index = Assert.IsType<HammingIndex>(file.Index);
        Assert.Equal(200, index.Count);
        Assert.Equal(includeIds ? _ids : Enumerable.Range(0, 200).Select(i => (long)i), index.Snapshot().Ids);
    }

    [Fact]
    public void Load_Garbage_IsRefused_NamingTheFile()
    {
        string path = Write("garbage.bin", s => s.Write(Encoding.ASCII.GetBytes("PK\u0003\u0004 this is a zip, not codes")));
        var e = Assert.Throws<InvalidDataException>(() => HammingIndexFile.Load(path));
        Assert.Contains(Path.GetFullPath(path), e.Message);
        Assert.Contains("is not a Dsh index, gallery or FAISS binary index", e.Message);
        Assert.Contains("0x504B0304", e.Message);
    }

    [Fact]
    public void Load_EmptyOrTinyFile_IsRefused_NamingTheFile()
    {
        string empty = Write("empty.dshi", _ => { });
        Assert.Contains($"'{Path.GetFullPath(empty)}' is empty", Assert.Throws<InvalidDataException>(() => HammingIndexFile.Load(empty)).Message);

        string tiny = Write("tiny.dshi", s => s.Write("DSHIFL"u8));
        var e = Assert.Throws<InvalidDataException>(() => HammingIndexFile.Load(tiny));
        Assert.Contains(Path.GetFullPath(tiny), e.Message);
        Assert.Contains("truncated Dsh index", e.Message);
    }

    [Fact]
    public void Load_UnknownDshKind_IsRefused_NamingTheKindAndTheFile()
    {
        var flat = new HammingIndex(64);
        flat.AddRange(_ids, BinaryCodeSet.FromCodes(_codes, 64));
        byte[] bytes = Bytes(flat.Save);
        "LSHX"u8.CopyTo(bytes.AsSpan(4));
        string path = Write("future.dshi", s => s.Write(bytes));

        var e = Assert.Throws<InvalidDataException>(() => HammingIndexFile.Load(path));
        Assert.Contains(Path.GetFullPath(path), e.Message);
        Assert.Contains("kind 'LSHX'", e.Message);
    }

    [Theory]
    [InlineData("flat")]
    [InlineData("mih")]
    [InlineData("gallery")]
    [InlineData("faiss")]
    public void Load_TruncatedFile_IsRefused_NamingTheFile(string kind)
    {
        byte[] whole = kind switch
        {
            "flat" => Bytes(Filled(new HammingIndex(64)).Save),
            "mih" => Bytes(Filled(new MultiIndexHashIndex(64)).Save),
            "gallery" => Bytes(s =>
            {
                var g = new Gallery(64);
                g.AddRange(BinaryCodeSet.FromCodes(_codes, 64), _codes.Select((_, i) => new GalleryItem($"k{i}")).ToArray());
                g.Save(s);
            }),
            _ => Bytes(s => FaissBinaryIndexFile.Write(Filled(new HammingIndex(64)).Snapshot(), s)),
        };

        foreach (int length in new[] { 20, whole.Length / 2, whole.Length - 1 })
        {
            string path = Write($"{kind}-{length}.bin", s => s.Write(whole.AsSpan(0, length)));
            var e = Assert.Throws<InvalidDataException>(() => HammingIndexFile.Load(path));
            Assert.Contains(Path.GetFullPath(path), e.Message);
            Assert.Contains("runcated", e.Message); // "Truncated …" / "truncated …": each loader says so
        }
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => HammingIndexFile.Load(Path.Combine(_folder, "nothing.dshi")));
        Assert.Throws<ArgumentException>(() => HammingIndexFile.Load(" "));
    }

    private T Filled<T>(T index)
        where T : IHammingIndex
    {
        index.AddRange(_ids, BinaryCodeSet.FromCodes(_codes, 64));
        return index;
    }

    private string Write(string name, Action<Stream> write)
    {
        string path = Path.Combine(_folder, name);
        using (var stream = File.Create(path))
        {
            write(stream);
        }

        return path;
    }

    private static byte[] Bytes(Action<Stream> write)
    {
        using var stream = new MemoryStream();
        write(stream);
        return stream.ToArray();
    }
}
