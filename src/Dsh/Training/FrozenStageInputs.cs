using System.Diagnostics;
using Dsh.Trunks;
using static TorchSharp.torch;

namespace Dsh.Training;

/// <summary>
/// Serves the training loop what the learning part of the network reads: for a network with frozen stages, the frozen
/// stages' output (sketches, sketch-tokens and photos), otherwise the image batches themselves. With caching on, each
/// item's frozen output is computed once (in eval mode) and kept in memory for the rest of the run; with caching off,
/// every batch is augmented and pushed through the frozen stages again. Caching is per domain: sketches when the sketch
/// trunk has frozen stages; photos (with their sketch-tokens, which must share one augmentation) when both trunks have —
/// a domain with nothing frozen keeps its augmented images and is not held in memory.
/// The cache keeps <c>variants</c> versions of each item: version 0 from the un-augmented image, the others from
/// augmented copies whose transform depends only on (seed, version, item), so a resumed run refills the cache with the
/// same tensors. A training step serves each item in a version drawn from the step's random source (with one version,
/// nothing is drawn). Cached outputs are kept in the element type of <see cref="CachePrecision"/> and served in the
/// network's own.
/// </summary>
internal sealed class FrozenStageInputs : IDisposable
{
    private const int VariantStream = 7;
    private readonly DshNetwork _network;
    private readonly IDshTrainingData _data;
    private readonly bool _cacheSketches;
    private readonly bool _cachePhotos;
    private readonly int _variants;
    private readonly int _seed;
    private readonly Tensor?[][] _sketches;
    private readonly Tensor?[][] _photos;
    private readonly Tensor?[][] _tokens;
    private readonly ScalarType _storedType;
    private readonly ScalarType _servedType;
    private readonly Stopwatch _fillClock = new();
    private long _itemsFilled;

    public FrozenStageInputs(DshNetwork network, IDshTrainingData data, bool cache, CachePrecision precision = CachePrecision.Float32,
        int variants = 1, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(variants, 1);
        _network = network;
        _data = data;
        _variants = variants;
        _seed = seed;
        _servedType = network.ParameterType;
        _storedType = precision == CachePrecision.Float16 ? ScalarType.Float16 : _servedType;
        _cacheSketches = cache && network.SketchTrunk.HasFrozenPart;
        _cachePhotos = _cacheSketches && network.PhotoTrunk.HasFrozenPart;
        _sketches = Stores(_cacheSketches ? data.SketchLabels.Length : 0);
        _photos = Stores(_cachePhotos ? data.PhotoLabels.Length : 0);
        _tokens = Stores(_cachePhotos ? data.PhotoLabels.Length : 0);
    }

    /// <summary>Whether any frozen output is cached.</summary>
    public bool Caching => _cacheSketches;

    /// <summary>Whether photos and their sketch-tokens are cached too.</summary>
    public bool CachingPhotos => _cachePhotos;

    /// <summary>Time spent computing the frozen outputs the cache holds (decoding and augmenting included).</summary>
    public TimeSpan FillElapsed => _fillClock.Elapsed;

    /// <summary>Item versions cached so far (a photo and its sketch-token map count as one).</summary>
    public long ItemsFilled => _itemsFilled;

    /// <summary>Item versions the cache can still take: every version of every cached sketch and photo not computed yet.</summary>
    public long ItemsLeftToFill => (long)_variants * (_sketches[0].Length + _photos[0].Length) - _itemsFilled;

    /// <summary>Bytes held by the cache so far.</summary>
    public long CachedBytes =>
        _sketches.Concat(_photos).Concat(_tokens).SelectMany(v => v).Sum(t => t is null ? 0 : t.numel() * t.element_size());

    /// <summary>
    /// The sketch part at the frozen boundary for the given training sketches; <paramref name="augmentation"/> null serves
    /// the un-augmented version (the code update's encoding pass).
    /// </summary>
    public Tensor Sketches(IReadOnlyList<int> indices, Random? augmentation)
    {
        if (!_cacheSketches)
        {
            using var scope = NewDisposeScope();
            return _network.SketchBoundary(_data.SketchBatch(indices, augmentation), SketchBranch.Sketch).MoveToOuterDisposeScope();
        }
        int[] versions = Versions(indices.Count, augmentation);
        for (int v = 0; v < _variants; v++)
        {
            int[] missing = Missing(_sketches[v], indices, versions, v);
            if (missing.Length == 0)
            {
                continue;
            }
            Fill(missing, () => // runs at once: v is this iteration's
            {
                Tensor images = v == 0 ? _data.SketchBatch(missing, null) : cat(missing.Select(i => _data.SketchBatch(new[] { i }, VariantRandom(v, i, 0))).ToArray(), 0);
                Store(_sketches[v], missing, _network.SketchBoundary(images, SketchBranch.Sketch).to(_storedType));
            });
        }
        return Gather(_sketches, indices, versions);
    }

    /// <summary>The photo and sketch-token parts at their frozen boundaries for the given photos (versions as for sketches).</summary>
    public (Tensor Photos, Tensor Tokens) Photos(IReadOnlyList<int> indices, Random? augmentation)
    {
        if (!_cachePhotos)
        {
            using var scope = NewDisposeScope();
            (Tensor p, Tensor t) = _data.PhotoBatch(indices, augmentation);
            return (_network.PhotoBoundary(p).MoveToOuterDisposeScope(), _network.SketchBoundary(t, SketchBranch.Token).MoveToOuterDisposeScope());
        }
        int[] versions = Versions(indices.Count, augmentation);
        for (int v = 0; v < _variants; v++)
        {
            int[] missing = Missing(_photos[v], indices, versions, v);
            if (missing.Length == 0)
            {
                continue;
            }
            Fill(missing, () => // runs at once: v is this iteration's
            {
                (Tensor p, Tensor t) = v == 0 ? _data.PhotoBatch(missing, null) : Concatenated(missing.Select(i => _data.PhotoBatch(new[] { i }, VariantRandom(v, i, 1))).ToArray());
                Store(_photos[v], missing, _network.PhotoBoundary(p).to(_storedType));
                Store(_tokens[v], missing, _network.SketchBoundary(t, SketchBranch.Token).to(_storedType));
            });
        }
        return (Gather(_photos, indices, versions), Gather(_tokens, indices, versions));
    }

    /// <summary>Runs <paramref name="compute"/>, which caches <paramref name="missing"/>, in its own dispose scope, on the fill clock and count.</summary>
    private void Fill(int[] missing, Action compute)
    {
        _fillClock.Start();
        try
        {
            using var scope = NewDisposeScope();
            compute();
        }
        finally
        {
            _fillClock.Stop();
        }
        _itemsFilled += missing.Length;
    }

    private Tensor?[][] Stores(int items) => Enumerable.Range(0, _variants).Select(_ => new Tensor?[items]).ToArray();

    /// <summary>Which cached version each item of a step is served in: all 0 for encoding or with a single version.</summary>
    private int[] Versions(int count, Random? augmentation)
    {
        int[] versions = new int[count];
        if (augmentation is not null && _variants > 1)
        {
            for (int j = 0; j < count; j++)
            {
                versions[j] = augmentation.Next(_variants);
            }
        }
        return versions;
    }

    /// <summary>The transform of version <paramref name="version"/> of an item: a function of the run's seed, the version and the item only.</summary>
    private Random VariantRandom(int version, int item, int domain) => new(SeedMixer.MixInt(_seed, VariantStream, version, item * 2L + domain));

    private static (Tensor Photos, Tensor Tokens) Concatenated((Tensor Photos, Tensor Tokens)[] batches) =>
        (cat(batches.Select(b => b.Photos).ToArray(), 0), cat(batches.Select(b => b.Tokens).ToArray(), 0));

    private static int[] Missing(Tensor?[] store, IReadOnlyList<int> indices, int[] versions, int version) =>
        indices.Where((i, j) => versions[j] == version && store[i] is null).Distinct().ToArray();

    /// <summary>Keeps row j of <paramref name="batch"/> as item <paramref name="items"/>[j], outside every dispose scope.</summary>
    private static void Store(Tensor?[] store, int[] items, Tensor batch)
    {
        for (int j = 0; j < items.Length; j++)
        {
            store[items[j]] = batch[j].clone().DetachFromDisposeScope();
        }
    }

    private Tensor Gather(Tensor?[][] stores, IReadOnlyList<int> indices, int[] versions)
    {
        Tensor batch = stack(indices.Select((i, j) => stores[versions[j]][i]!).ToArray(), 0);
        return batch.dtype == _servedType ? batch : batch.to(_servedType);
    }

    public void Dispose()
    {
        foreach (Tensor? t in _sketches.Concat(_photos).Concat(_tokens).SelectMany(v => v))
        {
            t?.Dispose();
        }
    }
}
