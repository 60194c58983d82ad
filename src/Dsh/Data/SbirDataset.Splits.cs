using Dsh.Data;

namespace Dsh;

public sealed partial class SbirDataset
{
    /// <summary>
    /// The paper's query protocol: a copy in which, per category, <paramref name="sketchesPerCategory"/> sketches are
    /// <see cref="SbirSplit.Query"/> and the rest <see cref="SbirSplit.Train"/> (earlier splits are replaced). The choice
    /// is seeded and deterministic, and depends only on the seed, the category name and its sketches. Groups stay whole:
    /// whole groups are taken in shuffled order while they fit; if that falls short, the smallest remaining group is
    /// added too, so a category may get a few more queries than asked (never fewer).
    /// </summary>
    /// <param name="sketchesPerCategory">Queries per category (0 makes every sketch a training sketch).</param>
    /// <param name="seed">The seed.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sketchesPerCategory"/> is negative.</exception>
    /// <exception cref="ArgumentException">A category (named in the message) would be left without a training sketch.</exception>
    public SbirDataset WithQueries(int sketchesPerCategory, int seed) => QueryHoldOut.Apply(this, sketchesPerCategory, seed);

    /// <summary>
    /// A seeded subset for quick runs and CI: at most <paramref name="maxSketchesPerCategory"/> sketches and
    /// <paramref name="maxPhotosPerCategory"/> photos per category, items keeping their order and splits. A category's
    /// queries and training sketches shrink in proportion (at least one of each when the budget allows); whole groups
    /// are taken first and a group is split only when the budget cannot be filled otherwise.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A maximum is below 1.</exception>
    public SbirDataset Take(int maxSketchesPerCategory, int maxPhotosPerCategory, int seed) =>
        DatasetSubset.Take(this, maxSketchesPerCategory, maxPhotosPerCategory, seed);
}
