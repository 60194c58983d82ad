using Dsh.Semantics;
using TorchSharp;

namespace Dsh.Tests.Semantics;

/// <summary>
/// Binds the semantic-vector API that the trainer and the other bricks call: if a name or signature changes, this
/// file stops compiling.
/// </summary>
public class SemanticsSurfaceTests
{
    [Fact]
    public void Contract_Binds()
    {
        Func<string, IReadOnlyList<string>, ClassEmbedding> text = ClassEmbeddings.FromWord2VecText;
        Func<string, IReadOnlyList<string>, ClassEmbedding> binary = ClassEmbeddings.FromWord2VecBinary;
        Func<string, IReadOnlyList<string>, ClassEmbedding> glove = ClassEmbeddings.FromGloVe;
        Func<IReadOnlyList<string>, string?, ClassEmbedding> wordnet = ClassEmbeddings.FromWordNet;
        Func<IReadOnlyList<string>, ClassEmbedding> oneHot = ClassEmbeddings.OneHot;
        Func<string, IReadOnlyList<string>, ClassEmbedding> load = ClassEmbeddings.Load;
        Func<IReadOnlyList<string>, string?, ClassEmbedding> resolve = ClassEmbeddings.Resolve;
        Assert.NotNull(new object[] { text, binary, glove, wordnet, load, resolve });

        ClassEmbedding e = oneHot(["a", "b"]);
        IReadOnlyList<string> categories = e.Categories;
        int d = e.Dimension;
        string source = e.Source;
        IReadOnlyList<string> missing = e.MissingWords, uncovered = e.UncoveredCategories;
        float[] v = e.Vector(1);
        ClassEmbedding f = e.WithOneHotFallback();
        using torch.Tensor t = e.ToTensor();
        Assert.Equal((2, 2, "one-hot", 0, 0, 1f), (categories.Count, d, source, missing.Count, uncovered.Count, v[1]));
        Assert.Same(e, f);
        Assert.Equal(new long[] { 2, 2 }, t.shape);
    }
}
