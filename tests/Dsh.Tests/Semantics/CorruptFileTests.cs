using Dsh.Semantics;
using Dsh.Tests.Support;
using static Dsh.Tests.Semantics.VectorFiles;

namespace Dsh.Tests.Semantics;

/// <summary>Malformed word-vector files are <see cref="InvalidDataException"/>s naming the path and the line or record.</summary>
public class CorruptFileTests
{
    private static InvalidDataException Text(string[] lines, bool header, params string[] categories)
    {
        using var dir = new TempFolder();
        string path = dir.File("v.txt");
        File.WriteAllLines(path, lines);
        var e = Assert.Throws<InvalidDataException>(() =>
            header ? ClassEmbeddings.FromWord2VecText(path, categories) : ClassEmbeddings.FromGloVe(path, categories));
        Assert.Contains(path, e.Message);
        return e;
    }

    private static InvalidDataException Binary(byte[] bytes, params string[] categories)
    {
        using var dir = new TempFolder();
        string path = dir.File("v.bin");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => ClassEmbeddings.FromWord2VecBinary(path, categories));
        Assert.Contains(path, e.Message);
        return e;
    }

    [Fact]
    public void Word2VecText_MissingHeader() =>
        Assert.Contains("line 1", Text(["dog 1 0", "horse 0 1"], header: true, "dog").Message);

    [Fact]
    public void Word2VecText_EmptyFile() =>
        Assert.Contains("line 1", Text([], header: true, "dog").Message);

    [Theory]
    [InlineData("2 0")]
    [InlineData("2")]
    [InlineData("two 3")]
    [InlineData("-2 3")]
    public void Word2VecText_BadHeader(string header) =>
        Assert.Contains("header", Text([header, "dog 1 0 0", "horse 0 1 0"], header: true, "dog").Message);

    [Fact]
    public void Word2VecText_ShortLine() =>
        Assert.Contains("line 3", Text(["3 3", "cat 1 0 0", "cow 1 0", "dog 0 0 1"], header: true, "dog").Message);

    [Fact]
    public void Word2VecText_LongLine() =>
        Assert.Contains("line 3", Text(["3 3", "cat 1 0 0", "cow 1 0 0 1", "dog 0 0 1"], header: true, "dog").Message);

    [Theory]
    [InlineData("NaN")]
    [InlineData("nan")]
    [InlineData("Infinity")]
    [InlineData("1e400")]
    [InlineData("abc")]
    public void Word2VecText_NonFiniteValueOfANeededWord(string value) =>
        Assert.Contains("line 2", Text(["2 3", $"dog 1 {value} 0", "cat 0 0 1"], header: true, "dog").Message);

    [Fact]
    public void Word2VecText_FewerVectorsThanTheHeaderSays() =>
        Assert.Contains("2 of the header's 5", Text(["5 2", "dog 1 0", "cat 0 1"], header: true, "dog", "zebra").Message);

    [Fact]
    public void Word2VecText_MoreVectorsThanTheHeaderSays() =>
        Assert.Contains("line 4", Text(["2 2", "dog 1 0", "cat 0 1", "cow 1 1"], header: true, "zebra").Message);

    [Fact]
    public void GloVe_ShortLine() =>
        Assert.Contains("line 2", Text(["cat 1 0 0", "cow 1 0", "dog 0 0 1"], header: false, "dog").Message);

    [Fact]
    public void GloVe_TooManyNumbers() =>
        Assert.Contains("line 2", Text(["cat 1 0", "cow 1 0 1", "dog 0 1"], header: false, "dog").Message);

    [Fact]
    public void GloVe_WordWithoutValues() =>
        Assert.Contains("line 1", Text(["dog"], header: false, "dog").Message);

    [Fact]
    public void GloVe_NaN() =>
        Assert.Contains("line 2", Text(["cat 1 0", "dog NaN 1"], header: false, "dog").Message);

    [Fact]
    public void GloVe_NoVectors() =>
        Assert.Contains("no vectors", Text(["", ""], header: false, "dog").Message);

    private static readonly (string, float[])[] Three = [E("cat", 1, 0), E("dog", 0, 1), E("cow", 1, 1)];

    [Fact]
    public void Binary_TruncatedInsideAVector()
    {
        byte[] full = Word2VecBinary(Three);
        Assert.Contains("record 3", Binary(full[..^3], "zebra").Message);
    }

    [Fact]
    public void Binary_TruncatedInsideAWord()
    {
        byte[] full = Word2VecBinary(Three);
        int cut = full.Length - (2 * 4 + 1) - 2; // "cow " → "co"
        Assert.Contains("record 3", Binary(full[..cut], "zebra").Message);
    }

    [Fact]
    public void Binary_FewerRecordsThanTheHeaderSays() =>
        Assert.Contains("record 4", Binary(Word2VecBinary(Three, headerCount: 4), "zebra").Message);

    [Theory]
    [InlineData("")]
    [InlineData("3\n")]
    [InlineData("3 x\n")]
    [InlineData("3 2")]
    public void Binary_BadHeader(string header)
    {
        byte[] body = Word2VecBinary(Three)[4..];
        Assert.Contains("header", Binary([.. System.Text.Encoding.ASCII.GetBytes(header), .. body], "dog").Message);
    }

    [Fact]
    public void Binary_WrongDimensionInHeader_IsCaughtAsAnOverlongOrTruncatedRecord()
    {
        byte[] body = Word2VecBinary(Three)[4..];
        Binary([.. "3 5\n"u8.ToArray(), .. body], "zebra");
    }

    [Fact]
    public void Binary_NaNInANeededWord() =>
        Assert.Contains("record 2", Binary(Word2VecBinary([E("cat", 1, 0), E("dog", 0, float.NaN)]), "dog").Message);
}
