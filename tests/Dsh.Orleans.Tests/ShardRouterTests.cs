using Dsh.Orleans.Routing;

namespace Dsh.Orleans.Tests;

/// <summary>The id → shard map is fixed forever (clients and silos of any version must agree) and spreads ids evenly.</summary>
public sealed class ShardRouterTests
{
    [Fact]
    public void The_map_is_pinned()
    {
        // Pinned values: a change here would send stored ids to the wrong shard after an upgrade.
        Assert.Equal(0, ShardRouter.ShardOf(12345, 1));
        // SplitMix64's finaliser of (ulong)id, modulo the shard count.
        Assert.Equal(new[] { 3, 0, 1, 0, 3, 3 }, Enumerable.Range(0, 6).Select(i => ShardRouter.ShardOf(i * 1_000_003L, 4)).ToArray());
        Assert.Equal(new[] { 2, 2, 0, 2, 6 }, new[] { 0L, 1L, -1L, long.MaxValue, long.MinValue }.Select(id => ShardRouter.ShardOf(id, 7)).ToArray());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    public void Sequential_ids_spread_evenly(int shards)
    {
        var counts = new int[shards];
        for (long id = 0; id < 70_000; id++)
        {
            counts[ShardRouter.ShardOf(id, shards)]++;
        }

        double mean = 70_000.0 / shards;
        Assert.All(counts, c => Assert.InRange(c, mean * 0.97, mean * 1.03));
    }

    [Fact]
    public void A_shard_count_below_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ShardRouter.ShardOf(1, 0));
}
