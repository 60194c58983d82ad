namespace Dsh.Orleans.Routing;

/// <summary>
/// Maps an id to its shard by a stable hash: the SplitMix64 finaliser of the id, reduced to the shard count. The
/// mapping depends only on the id and the count (never on the process, the runtime or <see cref="object.GetHashCode"/>),
/// so every client and silo, of any version, routes an id to the same shard, and ids spread evenly even when they are
/// sequential.
/// </summary>
public static class ShardRouter
{
    /// <summary>The shard, 0 … <paramref name="shardCount"/> − 1, that owns <paramref name="id"/>.</summary>
    /// <param name="id">Any id.</param>
    /// <param name="shardCount">The index's shard count, at least 1.</param>
    public static int ShardOf(long id, int shardCount)
    {
        if (shardCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(shardCount), shardCount, "An index has at least one shard.");
        }

        ulong z = unchecked((ulong)id + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z % (ulong)shardCount);
    }
}
