using Dsh.Trunks;
using static TorchSharp.torch;

namespace Dsh.Training;

/// <summary>
/// Serves the training loop what the learning part of the network reads: for a network with frozen stages, the frozen
/// stages' output (sketches, sketch-tokens and photos), otherwise the image batches themselves. With caching on, each
/// item's frozen output is computed once (from the un-augmented image, in eval mode) and kept in memory for the rest of
/// the run; with caching off, every batch is augmented and pushed through the frozen stages again. Caching is per
/// domain: sketches when the sketch trunk has frozen stages; photos (with their sketch-tokens, which must share one
/// augmentation) when both trunks have — a domain with nothing frozen keeps its augmented images and is not held in memory.
/// Cached outputs are kept in the element type of <see cref="CachePrecision"/> and served in the network's own.
/// </summary>
internal sealed class FrozenStageInputs : IDisposable
{
    private readonly DshNetwork _network;
    private readonly IDshTrainingData _data;
    private readonly bool _cacheSketches;
    private readonly bool _cachePhotos;
    private readonly Tensor?[] _sketches;
    private readonly Tensor?[] _photos;
    private readonly Tensor?[] _tokens;
    private readonly ScalarType _storedType;
    private readonly ScalarType _servedType;

    public FrozenStageInputs(DshNetwork network, IDshTrainingData data, bool cache, CachePrecision precision = CachePrecision.Float32)
    {
        _network = network;
        _data = data;
        _servedType = network.ParameterType;
        _storedType = precision == CachePrecision.Float16 ? ScalarType.Float16 : _servedType;
        _cacheSketches = cache && network.SketchTrunk.HasFrozenPart;
        _cachePhotos = _cacheSketches && network.PhotoTrunk.HasFrozenPart;
        _sketches = new Tensor?[_cacheSketches ? data.SketchLabels.Length : 0];
        _photos = new Tensor?[_cachePhotos ? data.PhotoLabels.Length : 0];
        _tokens = new Tensor?[_cachePhotos ? data.PhotoLabels.Length : 0];
    }

    /// <summary>Whether any frozen output is cached (cached items are not augmented).</summary>
    public bool Caching => _cacheSketches;

    /// <summary>Whether photos and their sketch-tokens are cached too.</summary>
    public bool CachingPhotos => _cachePhotos;

    /// <summary>Bytes held by the cache so far.</summary>
    public long CachedBytes =>
        _sketches.Concat(_photos).Concat(_tokens).Sum(t => t is null ? 0 : t.numel() * t.element_size());

    /// <summary>The sketch part at the frozen boundary for the given training sketches.</summary>
    public Tensor Sketches(IReadOnlyList<int> indices, Random? augmentation)
    {
        if (!_cacheSketches)
        {
            using var scope = NewDisposeScope();
            return _network.SketchBoundary(_data.SketchBatch(indices, augmentation), SketchBranch.Sketch).MoveToOuterDisposeScope();
        }
        int[] missing = Missing(_sketches, indices);
        if (missing.Length > 0)
        {
            using var scope = NewDisposeScope();
            Store(_sketches, missing, _network.SketchBoundary(_data.SketchBatch(missing, null), SketchBranch.Sketch).to(_storedType));
        }
        return Gather(_sketches, indices);
    }

    /// <summary>The photo and sketch-token parts at their frozen boundaries for the given photos.</summary>
    public (Tensor Photos, Tensor Tokens) Photos(IReadOnlyList<int> indices, Random? augmentation)
    {
        if (!_cachePhotos)
        {
            using var scope = NewDisposeScope();
            (Tensor p, Tensor t) = _data.PhotoBatch(indices, augmentation);
            return (_network.PhotoBoundary(p).MoveToOuterDisposeScope(), _network.SketchBoundary(t, SketchBranch.Token).MoveToOuterDisposeScope());
        }
        int[] missing = Missing(_photos, indices);
        if (missing.Length > 0)
        {
            using var scope = NewDisposeScope();
            (Tensor p, Tensor t) = _data.PhotoBatch(missing, null);
            Store(_photos, missing, _network.PhotoBoundary(p).to(_storedType));
            Store(_tokens, missing, _network.SketchBoundary(t, SketchBranch.Token).to(_storedType));
        }
        return (Gather(_photos, indices), Gather(_tokens, indices));
    }

    private static int[] Missing(Tensor?[] store, IReadOnlyList<int> indices) => indices.Where(i => store[i] is null).Distinct().ToArray();

    /// <summary>Keeps row j of <paramref name="batch"/> as item <paramref name="items"/>[j], outside every dispose scope.</summary>
    private static void Store(Tensor?[] store, int[] items, Tensor batch)
    {
        for (int j = 0; j < items.Length; j++)
        {
            store[items[j]] = batch[j].clone().DetachFromDisposeScope();
        }
    }

    private Tensor Gather(Tensor?[] store, IReadOnlyList<int> indices)
    {
        Tensor batch = stack(indices.Select(i => store[i]!).ToArray(), 0);
        return batch.dtype == _servedType ? batch : batch.to(_servedType);
    }

    public void Dispose()
    {
        foreach (Tensor? t in _sketches.Concat(_photos).Concat(_tokens))
        {
            t?.Dispose();
        }
    }
}
