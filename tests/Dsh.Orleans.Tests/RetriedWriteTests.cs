using Dsh.Hashing;
using Dsh.Orleans.Client;
using Dsh.Orleans.Grains;
using Dsh.Orleans.Tests.Support;
using Orleans.TestingHost;

namespace Dsh.Orleans.Tests;

/// <summary>
/// A write retried after its answer was lost is answered from the shard's record of stored operations, not applied
/// again: it neither fails nor undoes another writer's acknowledged change made in between.
/// </summary>
[Collection(RedisCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class RetriedWriteTests(RedisServer redis) : IAsyncLifetime
{
    private const int Bits = 64;
    private TestCluster _cluster = null!;
    private DshClusterIndex _index = null!;
    private IDshShardGrain _shard = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TestClusters.StartAsync(redis, silos: 1, serviceId: "dsh-retry-" + Guid.NewGuid().ToString("N")[..8], maxLogEntries: 8, snapshotChunkBytes: 4096);
        _index = await DshClusterIndex.CreateAsync(_cluster.Client, "r", Bits, shardCount: 1);
        _shard = _cluster.Client.GetGrain<IDshShardGrain>(DshIndexGrain.ShardKey("r", 0));
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_retried_add_is_answered_not_applied_twice()
    {
        var random = new Random(1);
        BinaryCode code = Codes.Random(random, Bits);
        WriteOperation add = WriteOperation.New();
        Assert.True(await _shard.AddAsync(7, code, add));
        Assert.True(await _shard.AddAsync(7, code, add.Attempt(1))); // the lost answer, asked again
        Assert.False(await _shard.AddAsync(7, code, WriteOperation.New())); // a new add of a stored id is refused
        Assert.Equal(1, await _index.CountAsync());
    }

    [Fact]
    public async Task A_late_retry_does_not_undo_another_writers_acknowledged_change()
    {
        var random = new Random(2);
        BinaryCode first = Codes.Random(random, Bits), second = Codes.Random(random, Bits);
        await _index.AddAsync(5, first);

        // Writer A removes 5; its answer is lost. Writer B adds 5 again and is acknowledged. A retries its removal.
        WriteOperation removeA = WriteOperation.New();
        Assert.True(await _shard.RemoveAsync(5, removeA));
        await _index.AddAsync(5, second);
        Assert.True(await _shard.RemoveAsync(5, removeA.Attempt(1)));
        Assert.Equal(second, await _index.GetCodeAsync(5));

        // The other way round: A's add of 6 is stored, B removes 6, A's retried add must not bring 6 back.
        WriteOperation addA = WriteOperation.New();
        Assert.True(await _shard.AddAsync(6, first, addA));
        Assert.True(await _index.RemoveAsync(6));
        Assert.True(await _shard.AddAsync(6, first, addA.Attempt(1)));
        Assert.False(await _index.ContainsAsync(6));
    }

    [Fact]
    public async Task The_record_of_operations_survives_snapshots_and_reactivation()
    {
        var random = new Random(3);
        WriteOperation batch = WriteOperation.New();
        long[] ids = Enumerable.Range(100, 20).Select(i => (long)i).ToArray();
        BinaryCodeSet codes = BinaryCodeSet.FromCodes(ids.Select(_ => Codes.Random(random, Bits)), Bits);
        Assert.Empty(await _shard.AddRangeAsync(ids, codes.Words.ToArray(), batch)); // 20 > log of 8: a snapshot
        Assert.True(await _index.RemoveAsync(100));
        await _cluster.DeactivateAsync(_shard);
        Assert.Empty(await _shard.AddRangeAsync(ids, codes.Words.ToArray(), batch.Attempt(1)));
        Assert.Equal(19, await _index.CountAsync());
        Assert.False(await _index.ContainsAsync(100));
    }
}
