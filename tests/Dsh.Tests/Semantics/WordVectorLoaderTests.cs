using Dsh.Semantics;
using Dsh.Tests.Support;
using static Dsh.Tests.Semantics.VectorFiles;

namespace Dsh.Tests.Semantics;

/// <summary>The behaviour every word-vector format shares, run on tiny word2vec text, word2vec binary and GloVe files.</summary>
public class WordVectorLoaderTests
{
    public static TheoryData<string> Formats => new() { "word2vec-text", "word2vec-binary", "glove" };

    private static readonly (string, float[])[] Entries =
    [
        E("Dog", 0, 5, 0),      // another casing before the exact lower-case entry
        E("dog", 2, 0, 0),
        E("HORSE", 0, 0, 3),    // only case-insensitive matches: the first wins
        E("Horse", 0, 7, 0),
        E("teddy", 1, 0, 0),
        E("bear", 0, 1, 0),
        E("eiffel", 3, 0, 0),
        E("tower", 0, 4, 0),
        E("aircraft", 0, 0, -2),
        E("guitar", 1, 1, 1),
    ];

    private static ClassEmbedding Read(string format, TempFolder dir, IReadOnlyList<string> categories) => format switch
    {
        "word2vec-text" => ClassEmbeddings.FromWord2VecText(WriteWord2VecText(dir.File("v.txt"), Entries), categories),
        "word2vec-binary" => ClassEmbeddings.FromWord2VecBinary(WriteWord2VecBinary(dir.File("v.bin"), Entries), categories),
        _ => ClassEmbeddings.FromGloVe(WriteGloVe(dir.File("glove.txt"), Entries), categories),
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void SingleWord_IsTheFileVector_L2Normalised(string format)
    {
        using var dir = new TempFolder();
        var e = Read(format, dir, ["dog", "guitar"]);
        Assert.Equal(3, e.Dimension);
        Assert.Equal(new[] { "dog", "guitar" }, e.Categories);
        Assert.Equal(new float[] { 1, 0, 0 }, e.Vector(0));
        float s = 1 / MathF.Sqrt(3);
        Assert.Equal(new[] { s, s, s }, e.Vector(1));
        Assert.Empty(e.MissingWords);
        Assert.Empty(e.UncoveredCategories);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void MultiWordNames_AreSplitAveragedAndNormalised_StopWordsDropped(string format)
    {
        using var dir = new TempFolder();
        var e = Read(format, dir, ["teddy-bear", "The Eiffel Tower", "teddy_bear bear"]);
        float h = 1 / MathF.Sqrt(2);
        Assert.Equal(new[] { h, h, 0 }, e.Vector(0));
        // mean of (3,0,0) and (0,4,0) = (1.5, 2, 0), norm 2.5; "the" is a stop-word, not a missing word.
        Assert.Equal(new[] { 0.6f, 0.8f, 0 }, e.Vector(1));
        // words teddy, bear, bear: mean (1, 2, 0)/3 → (1, 2, 0)/√5.
        Assert.Equal(1 / Math.Sqrt(5), e.Vector(2)[0], 6);
        Assert.Equal(2 / Math.Sqrt(5), e.Vector(2)[1], 6);
        Assert.Empty(e.MissingWords);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Lookup_IsCaseInsensitive_ExactLowerCaseFirst_ElseFirstMatch(string format)
    {
        using var dir = new TempFolder();
        var e = Read(format, dir, ["DOG", "horse", "Guitar"]);
        Assert.Equal(new float[] { 1, 0, 0 }, e.Vector(0));  // "dog", not the earlier "Dog"
        Assert.Equal(new float[] { 0, 0, 1 }, e.Vector(1));  // "HORSE", the first case-insensitive entry
        Assert.Equal(1, Norm(e.Vector(2)), 6);
        Assert.Equal(new[] { "DOG", "horse", "Guitar" }, e.Categories);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void MissingWords_AreReported_PartlyFoundNamesUseTheirFoundWords(string format)
    {
        using var dir = new TempFolder();
        var e = Read(format, dir, ["aircraft carrier", "zebra", "dog", "Zebra Crossing"]);
        Assert.Equal(new float[] { 0, 0, -1 }, e.Vector(0));
        Assert.Equal(new[] { "carrier", "zebra", "crossing" }, e.MissingWords);
        Assert.Equal(new[] { "zebra", "Zebra Crossing" }, e.UncoveredCategories);
        Assert.All(e.Vector(1), x => Assert.Equal(0, x));
        Assert.All(e.Vector(3), x => Assert.Equal(0, x));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Source_NamesTheFormatAndFullPath(string format)
    {
        using var dir = new TempFolder();
        var e = Read(format, dir, ["dog"]);
        Assert.StartsWith(format + ":" + dir.Path, e.Source);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void BadCategoryLists_AreArgumentExceptions(string format)
    {
        using var dir = new TempFolder();
        Assert.Throws<ArgumentException>(() => Read(format, dir, []));
        Assert.Throws<ArgumentException>(() => Read(format, dir, ["dog", "horse", "dog"]));
        Assert.Throws<ArgumentException>(() => Read(format, dir, ["dog", " "]));
        Assert.Throws<ArgumentNullException>(() => Read(format, dir, null!));
    }

    [Fact]
    public void MissingFile_IsFileNotFound()
    {
        using var dir = new TempFolder();
        Assert.Throws<FileNotFoundException>(() => ClassEmbeddings.FromGloVe(dir.File("none.txt"), ["dog"]));
        Assert.Throws<FileNotFoundException>(() => ClassEmbeddings.FromWord2VecBinary(dir.File("none.bin"), ["dog"]));
        Assert.Throws<FileNotFoundException>(() => ClassEmbeddings.Load(dir.File("none.txt"), ["dog"]));
    }

    [Fact]
    public void Binary_WithoutNewlinesAfterVectors_ReadsTheSame()
    {
        using var dir = new TempFolder();
        string path = dir.File("v.bin");
        File.WriteAllBytes(path, Word2VecBinary(Entries, newlineAfterVector: false));
        var e = ClassEmbeddings.FromWord2VecBinary(path, ["dog", "horse", "tower"]);
        Assert.Equal(new float[] { 1, 0, 0 }, e.Vector(0));
        Assert.Equal(new float[] { 0, 0, 1 }, e.Vector(1));
        Assert.Equal(new float[] { 0, 1, 0 }, e.Vector(2));
    }

    [Fact]
    public void Binary_ReadsUtf8Words()
    {
        using var dir = new TempFolder();
        string path = WriteWord2VecBinary(dir.File("v.bin"), E("café", 1, 2), E("über", 3, 4));
        var e = ClassEmbeddings.FromWord2VecBinary(path, ["Über"]);
        Assert.Equal(new[] { 0.6f, 0.8f }, e.Vector(0));
    }

    [Fact]
    public void GloVe_WordsContainingSpaces_AreSkipped_NotErrors()
    {
        using var dir = new TempFolder();
        string path = dir.File("glove.txt");
        File.WriteAllLines(path, ["dog 1 0", ". . . 0 1", "at name@domain.com 1 1", "horse 0 1"]);
        var e = ClassEmbeddings.FromGloVe(path, ["horse"]);
        Assert.Equal(new float[] { 0, 1 }, e.Vector(0));
    }

    [Fact]
    public void Text_TabsDoubleSpacesTrailingSpacesAndCrLf_AreAccepted()
    {
        using var dir = new TempFolder();
        string path = dir.File("v.txt");
        File.WriteAllText(path, "4 2 \r\ncat\t1\t0\r\ncow  1 1 \r\nant 0 1\r\n\r\ndog 0.5 -0.5 \r\n");
        var e = ClassEmbeddings.FromWord2VecText(path, ["dog", "zebra"]);
        float h = 1 / MathF.Sqrt(2);
        Assert.Equal(new[] { h, -h }, e.Vector(0));
    }

    [Fact]
    public void Reading_StopsOnceEveryWordHasItsExactEntry()
    {
        // Huge files are streamed; once all needed words are found exactly, the rest is not read (nor checked).
        using var dir = new TempFolder();
        string path = dir.File("glove.txt");
        File.WriteAllLines(path, ["dog 1 0", "horse 0 1", "cat 1"]);
        var e = ClassEmbeddings.FromGloVe(path, ["horse", "dog"]);
        Assert.Equal(new float[] { 0, 1 }, e.Vector(0));
    }

    [Fact]
    public void GzipCompressedFiles_AreRead()
    {
        using var dir = new TempFolder();
        string text = Gzip(WriteWord2VecText(dir.File("v.txt"), Entries), dir.File("v.txt.gz"));
        string bin = Gzip(WriteWord2VecBinary(dir.File("v.bin"), Entries), dir.File("v.bin.gz"));
        Assert.Equal(new float[] { 1, 0, 0 }, ClassEmbeddings.FromWord2VecText(text, ["dog"]).Vector(0));
        Assert.Equal(new float[] { 1, 0, 0 }, ClassEmbeddings.Load(bin, ["dog"]).Vector(0));
        Assert.StartsWith("word2vec-binary:", ClassEmbeddings.Load(bin, ["dog"]).Source);
        Assert.StartsWith("word2vec-text:", ClassEmbeddings.Load(text, ["dog"]).Source);
    }
}
