using Dsh.Semantics;
using Dsh.Tests.Support;
using TorchSharp;
using static Dsh.Tests.Semantics.VectorFiles;
using static TorchSharp.torch;

namespace Dsh.Tests.Semantics;

/// <summary>The embedding object: tensor layout, copies, the one-hot fallback and one-hot embeddings.</summary>
public class ClassEmbeddingTests
{
    private static ClassEmbedding Sample(TempFolder dir, params string[] categories) =>
        ClassEmbeddings.FromGloVe(WriteGloVe(dir.File("g.txt"), E("dog", 3, 4, 0), E("horse", 0, 0, 2), E("cat", 1, 0, 0)), categories);

    [Fact]
    public void ToTensor_IsFloat64_DimensionByCategories_ColumnsInCategoryOrder()
    {
        using var dir = new TempFolder();
        var e = Sample(dir, "horse", "dog", "cat");
        using var scope = NewDisposeScope();
        Tensor t = e.ToTensor();
        Assert.Equal(ScalarType.Float64, t.dtype);
        Assert.Equal(new long[] { 3, 3 }, t.shape);
        Assert.Equal(DeviceType.CPU, t.device_type);
        double[,] expected = { { 0, 0.6, 1 }, { 0, 0.8, 0 }, { 1, 0, 0 } };
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(expected[i, j], t[i, j].item<double>(), 6);
                Assert.Equal(e.Vector(j)[i], t[i, j].item<double>());
            }
        }
    }

    [Fact]
    public void ToTensor_FeedsDshCodeProblem()
    {
        using var dir = new TempFolder();
        var e = Sample(dir, "dog", "horse");
        using var scope = NewDisposeScope();
        using var problem = new DshCodeProblem(torch.tensor(new long[] { 0, 1, 1 }), torch.tensor(new long[] { 1, 0 }), e.ToTensor());
        Assert.Equal(2, problem.ClassCount);
        Assert.Equal(3, problem.VectorDimension);
    }

    [Fact]
    public void Vector_IsACopy_AndChecksTheIndex()
    {
        using var dir = new TempFolder();
        var e = Sample(dir, "dog");
        e.Vector(0)[0] = 42;
        Assert.Equal(0.6f, e.Vector(0)[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Vector(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Vector(-1));
    }

    [Fact]
    public void Categories_AreACopyInTheGivenOrder()
    {
        using var dir = new TempFolder();
        var names = new List<string> { "horse", "dog" };
        var e = Sample(dir, [.. names]);
        names[0] = "cow";
        Assert.Equal(new[] { "horse", "dog" }, e.Categories);
    }

    [Fact]
    public void WithOneHotFallback_GivesDistinctUnitVectors_AndKeepsCoveredGeometry()
    {
        using var dir = new TempFolder();
        var e = Sample(dir, "dog", "zebra", "cat", "unicorn");
        Assert.Equal(new[] { "zebra", "unicorn" }, e.UncoveredCategories);
        Assert.All(e.Vector(1), x => Assert.Equal(0, x));

        var f = e.WithOneHotFallback();
        Assert.Equal(3 + 4, f.Dimension);
        Assert.True(f.IncludesOneHot);
        Assert.Equal(e.Source + "+one-hot", f.Source);
        Assert.Equal(e.MissingWords, f.MissingWords);
        Assert.Equal(e.UncoveredCategories, f.UncoveredCategories);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(1, Norm(f.Vector(i)), 6);
            for (int j = 0; j < i; j++)
            {
                Assert.True(Cosine(f.Vector(i), f.Vector(j)) < 0.99, $"{i} and {j} are not distinguishable");
            }
        }
        // Uncovered: a pure indicator; covered: [v; e_i]/√2, so cosines between covered classes halve.
        Assert.Equal(new float[] { 0, 0, 0, 0, 1, 0, 0 }, f.Vector(1));
        Assert.Equal(Cosine(e.Vector(0), e.Vector(2)) / 2, Cosine(f.Vector(0), f.Vector(2)), 6);
        float h = 1 / MathF.Sqrt(2);
        Assert.Equal(new[] { 0.6f * h, 0.8f * h, 0, h, 0, 0, 0 }, f.Vector(0));

        using var scope = NewDisposeScope();
        Assert.Equal(new long[] { 7, 4 }, f.ToTensor().shape);
    }

    [Fact]
    public void WithOneHotFallback_IsANoOpWhenEverythingIsCovered_AndIdempotent()
    {
        using var dir = new TempFolder();
        var covered = Sample(dir, "dog", "cat");
        Assert.Same(covered, covered.WithOneHotFallback());
        var f = Sample(dir, "dog", "zebra").WithOneHotFallback();
        Assert.Same(f, f.WithOneHotFallback());
    }

    [Fact]
    public void AllUncovered_FallbackIsPlainOneHot()
    {
        using var dir = new TempFolder();
        var f = Sample(dir, "zebra", "unicorn").WithOneHotFallback();
        Assert.Equal(new float[] { 0, 0, 0, 1, 0 }, f.Vector(0));
        Assert.Equal(new float[] { 0, 0, 0, 0, 1 }, f.Vector(1));
    }

    [Fact]
    public void OneHot_IsTheIdentity()
    {
        var e = ClassEmbeddings.OneHot(["dog", "horse", "guitar"]);
        Assert.Equal("one-hot", e.Source);
        Assert.Equal(3, e.Dimension);
        Assert.True(e.IncludesOneHot);
        Assert.Empty(e.MissingWords);
        Assert.Empty(e.UncoveredCategories);
        Assert.Same(e, e.WithOneHotFallback());
        using var scope = NewDisposeScope();
        Assert.True(torch.eye(3, dtype: ScalarType.Float64).allclose(e.ToTensor(), rtol: 0, atol: 0));
    }

    [Fact]
    public void OneHot_ValidatesCategories()
    {
        Assert.Throws<ArgumentException>(() => ClassEmbeddings.OneHot([]));
        Assert.Throws<ArgumentException>(() => ClassEmbeddings.OneHot(["a", "a"]));
        Assert.Throws<ArgumentNullException>(() => ClassEmbeddings.OneHot(null!));
    }

    [Fact]
    public void ToString_ReportsSourceMissingAndUncovered()
    {
        using var dir = new TempFolder();
        string text = Sample(dir, "dog", "zebra crossing", "cat").ToString();
        Assert.Contains("glove:", text);
        Assert.Contains("missing words: zebra, crossing", text);
        Assert.Contains("uncovered categories: zebra crossing", text);
    }
}
