using Dsh.Data;
using Dsh.Quality.Pacs;
using static TorchSharp.torch;

namespace Dsh.Quality;

/// <summary>Frozen features (<see cref="FrozenFeatureCache"/>) looked up by item: the [n, d] matrix of any list of sketches or photos.</summary>
internal sealed class FeatureRows
{
    private readonly float[][] _features;
    private readonly Dictionary<string, int> _row = new(StringComparer.Ordinal);

    public FeatureRows(IReadOnlyList<FrozenFeatureCache.Entry> entries, float[][] features)
    {
        _features = features;
        for (int i = 0; i < entries.Count; i++)
        {
            _row[Key(entries[i].Path, entries[i].IsSketch)] = i;
        }
    }

    /// <summary>A float32 tensor [items, d] (the caller disposes it, or a dispose scope does).</summary>
    public Tensor Matrix(IReadOnlyList<SbirItem> items, bool sketches)
    {
        int dim = _features[0].Length;
        var flat = new float[items.Count * dim];
        for (int r = 0; r < items.Count; r++)
        {
            _features[_row[Key(items[r].Path!, sketches)]].CopyTo(flat, r * dim);
        }
        return tensor(flat, [items.Count, dim]);
    }

    private static string Key(string path, bool sketch) => (sketch ? "s:" : "p:") + path;
}
