namespace Dsh.Hashing.Search;

/// <summary>
/// Receives the codes a scan finds within <see cref="Threshold"/>. Kernels read the field, skip every code
/// farther than it, and call <see cref="Add"/> for the rest; <see cref="Add"/> may lower the threshold.
/// </summary>
internal abstract class NeighborSink
{
    /// <summary>The largest distance still wanted.</summary>
    public int Threshold;

    /// <summary>A code at <paramref name="distance"/> (≤ <see cref="Threshold"/>) stored in <paramref name="slot"/>.</summary>
    public abstract void Add(int distance, int slot);
}
