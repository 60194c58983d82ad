using Dsh.Semantics;
using Dsh.Tests.Support;
using static Dsh.Tests.Semantics.VectorFiles;

namespace Dsh.Tests.Semantics;

/// <summary><see cref="ClassEmbeddings.Load"/> picks the format from the name and the first line.</summary>
public class FormatDetectionTests
{
    private static readonly (string, float[])[] Entries = [E("dog", 1, 0), E("horse", 0, 1)];

    [Fact]
    public void BinExtension_IsWord2VecBinary()
    {
        using var dir = new TempFolder();
        var e = ClassEmbeddings.Load(WriteWord2VecBinary(dir.File("vectors.BIN"), Entries), ["horse"]);
        Assert.StartsWith("word2vec-binary:", e.Source);
        Assert.Equal(new float[] { 0, 1 }, e.Vector(0));
    }

    [Fact]
    public void TwoIntegerHeader_IsWord2VecText()
    {
        using var dir = new TempFolder();
        var e = ClassEmbeddings.Load(WriteWord2VecText(dir.File("vectors.txt"), Entries), ["horse"]);
        Assert.StartsWith("word2vec-text:", e.Source);
        Assert.Equal(new float[] { 0, 1 }, e.Vector(0));
    }

    [Fact]
    public void AnythingElse_IsGloVe()
    {
        using var dir = new TempFolder();
        var e = ClassEmbeddings.Load(WriteGloVe(dir.File("glove.6B.2d.txt"), Entries), ["horse"]);
        Assert.StartsWith("glove:", e.Source);
        Assert.Equal(new float[] { 0, 1 }, e.Vector(0));
    }

    [Fact]
    public void GloVeWhoseFirstLineIsAWordAndOneInteger_IsStillGloVe()
    {
        using var dir = new TempFolder();
        string path = dir.File("g.txt");
        File.WriteAllLines(path, ["dog 2", "7 3"]);
        var e = ClassEmbeddings.Load(path, ["7"]);
        Assert.StartsWith("glove:", e.Source);
        Assert.Equal(new float[] { 1 }, e.Vector(0));
    }

    [Fact]
    public void Load_ValidatesCategoriesBeforeReading()
    {
        using var dir = new TempFolder();
        Assert.Throws<ArgumentException>(() => ClassEmbeddings.Load(dir.File("none.txt"), []));
    }
}
