using Dsh.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Training;

/// <summary>
/// Tensors instead of images: each class has a fixed random sketch and photo prototype, each item is its prototype
/// plus item-seeded noise; "augmentation" flips an item horizontally when the given Random says so. Deterministic
/// per index, so the trainer's determinism and resume can be tested without any imaging.
/// </summary>
internal sealed class SyntheticTrainingData : IDshTrainingData
{
    private readonly DshArchitecture _architecture;
    private readonly Tensor[] _sketchPrototypes;
    private readonly Tensor[] _photoPrototypes;
    private readonly Tensor[] _tokenPrototypes;

    public SyntheticTrainingData(DshArchitecture architecture, int classes, int photosPerClass, int sketchesPerClass, int seed = 3)
    {
        _architecture = architecture;
        Categories = Enumerable.Range(0, classes).Select(c => $"class{c}").ToArray();
        PhotoLabels = Enumerable.Range(0, classes * photosPerClass).Select(i => i % classes).ToArray();
        SketchLabels = Enumerable.Range(0, classes * sketchesPerClass).Select(i => i % classes).ToArray();
        var g = new torch.Generator((ulong)seed);
        int s = architecture.SketchInputSize, p = architecture.PhotoInputSize;
        _sketchPrototypes = Enumerable.Range(0, classes).Select(_ => torch.randn(new long[] { 3, s, s }, generator: g).DetachFromDisposeScope()).ToArray();
        _photoPrototypes = Enumerable.Range(0, classes).Select(_ => torch.randn(new long[] { 3, p, p }, generator: g).DetachFromDisposeScope()).ToArray();
        _tokenPrototypes = Enumerable.Range(0, classes).Select(_ => torch.randn(new long[] { 3, s, s }, generator: g).DetachFromDisposeScope()).ToArray();
        Fingerprint = $"synthetic:{seed}:{classes}:{photosPerClass}:{sketchesPerClass}";
    }

    public IReadOnlyList<string> Categories { get; }
    public int[] PhotoLabels { get; }
    public int[] SketchLabels { get; }
    public string Fingerprint { get; }

    public Tensor SketchBatch(IReadOnlyList<int> indices, Random? augmentation) =>
        Stack(indices, i => _sketchPrototypes[SketchLabels[i]], 1000, augmentation);

    public (Tensor Photos, Tensor Tokens) PhotoBatch(IReadOnlyList<int> indices, Random? augmentation)
    {
        // The same flips for photos and their tokens: draw them once.
        bool[]? flips = augmentation is null ? null : indices.Select(_ => augmentation.Next(2) == 1).ToArray();
        return (Stack(indices, i => _photoPrototypes[PhotoLabels[i]], 2000, null, flips),
                Stack(indices, i => _tokenPrototypes[PhotoLabels[i]], 3000, null, flips));
    }

    private static Tensor Stack(IReadOnlyList<int> indices, Func<int, Tensor> prototype, int stream, Random? augmentation, bool[]? flips = null)
    {
        using var scope = NewDisposeScope();
        var items = new List<Tensor>();
        for (int j = 0; j < indices.Count; j++)
        {
            int i = indices[j];
            Tensor proto = prototype(i);
            Tensor item = proto + torch.randn(proto.shape, generator: new torch.Generator((ulong)(stream + i))).mul(0.5);
            bool flip = flips?[j] ?? (augmentation is not null && augmentation.Next(2) == 1);
            items.Add(flip ? item.flip(2) : item);
        }
        return torch.stack(items).MoveToOuterDisposeScope();
    }
}
