using Dsh.Hashing;
using Dsh.Orleans.Client;
using Dsh.Orleans.Grains;
using Dsh.Orleans.Tests.Support;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Dsh.Orleans.Tests;

/// <summary>
/// Storage writes that fail, before reaching Redis or after (an unknown outcome), on log writes and on snapshots: an
/// acknowledged change is stored, a failed one is not visible, a retry is not applied twice, and the shard still
/// restores. The storage in front of Redis injects the faults (<see cref="FaultInjectingGrainStorage"/>).
/// </summary>
[Collection(RedisCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class StorageFailureTests(RedisServer redis) : IAsyncLifetime
{
    private const int Bits = 64;
    private readonly string _service = "dsh-storefail-" + Guid.NewGuid().ToString("N")[..8];
    private readonly HammingIndex _local = new(Bits);
    private readonly Random _random = new(4);
    private TestCluster _cluster = null!;
    private DshClusterIndex _index = null!;

    public async Task InitializeAsync()
    {
        // A log of 4: the 5th change after a snapshot writes a new one.
        _cluster = await TestClusters.StartAsync(redis, silos: 1, _service, maxLogEntries: 4, snapshotChunkBytes: 4096, faultInjection: true);
        _index = await DshClusterIndex.CreateAsync(_cluster.Client, "f", Bits, shardCount: 1,
            new DshClusterIndexOptions { RetryDelay = TimeSpan.FromMilliseconds(20), RetryTimeout = TimeSpan.FromSeconds(30) });
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_log_write_with_an_unknown_outcome_is_retried_and_stored_once()
    {
        FaultInjectingGrainStorage.FailNextWrite(name => name == "dsh-shard", WriteFault.AfterWrite, () => new TimeoutException("injected: the answer was lost"));
        await AddAsync(1);
        Assert.False(FaultInjectingGrainStorage.Pending);
        await AssertSameAsLocalAsync();
        await RestoreAsync();
        await AssertSameAsLocalAsync();
    }

    [Fact]
    public async Task A_log_write_refused_for_good_leaves_no_trace()
    {
        await AddAsync(1);
        FaultInjectingGrainStorage.FailNextWrite(name => name == "dsh-shard", WriteFault.BeforeWrite, () => new InvalidOperationException("injected: storage refused"));
        BinaryCode code = Codes.Random(_random, Bits);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => _index.AddAsync(2, code));
        Assert.Contains("injected", e.Message, StringComparison.Ordinal);
        Assert.False(await _index.ContainsAsync(2));
        await AssertSameAsLocalAsync();
        await AddAsync(2); // and the id can be added afterwards
        await RestoreAsync();
        await AssertSameAsLocalAsync();
    }

    [Fact]
    public async Task A_snapshot_state_write_with_an_unknown_outcome_keeps_the_snapshot_it_may_point_to()
    {
        for (long id = 1; id <= 4; id++)
        {
            await AddAsync(id);
        }

        // The 5th change folds the log into a snapshot; the state write that points at it "times out" after landing.
        FaultInjectingGrainStorage.FailNextWrite(name => name == "dsh-shard", WriteFault.AfterWrite, () => new TimeoutException("injected: the answer was lost"));
        await AddAsync(5);
        Assert.False(FaultInjectingGrainStorage.Pending);
        ShardInfo info = (await _index.GetShardInfoAsync())[0];
        Assert.True(info.SnapshotBytes > 0);
        await RestoreAsync();
        await AssertSameAsLocalAsync();
    }

    [Fact]
    public async Task A_failed_snapshot_leaves_the_old_state_and_no_orphan_chunks()
    {
        for (long id = 1; id <= 4; id++)
        {
            await AddAsync(id);
        }

        // A chunk write fails for good: the change fails, the chunks written so far are deleted.
        FaultInjectingGrainStorage.FailNextWrite(name => name.StartsWith("dsh-snapshot-", StringComparison.Ordinal), WriteFault.BeforeWrite, () => new IOException("injected: chunk refused"));
        BinaryCode code = Codes.Random(_random, Bits);
        await Assert.ThrowsAsync<IOException>(() => _index.AddAsync(5, code));
        Assert.False(await _index.ContainsAsync(5));

        // The state write after the chunks is refused on its ETag (certainly not written): its chunks are deleted too.
        FaultInjectingGrainStorage.FailNextWrite(name => name == "dsh-shard", WriteFault.BeforeWrite, () => new InconsistentStateException("injected: etag"));
        await AddAsync(6); // retried (transient), then stored by the next activation
        await AssertSameAsLocalAsync();
        ShardInfo info = (await _index.GetShardInfoAsync())[0];
        int chunkKeys = redis.CountKeys($"{_service}/*dsh-snapshot-*");
        Assert.Equal((int)((info.SnapshotBytes + 4095) / 4096), chunkKeys);
        await RestoreAsync();
        await AssertSameAsLocalAsync();
    }

    private async Task AddAsync(long id)
    {
        BinaryCode code = Codes.Random(_random, Bits);
        _local.Add(id, code);
        await _index.AddAsync(id, code);
    }

    /// <summary>Drops the shard's activation, so the next call restores it from Redis.</summary>
    private async Task RestoreAsync() =>
        await _cluster.DeactivateAsync(_cluster.Client.GetGrain<IDshShardGrain>(DshIndexGrain.ShardKey("f", 0)));

    private async Task AssertSameAsLocalAsync()
    {
        Assert.Equal(_local.Count, await _index.CountAsync());
        BinaryCode query = Codes.Random(_random, Bits);
        Assert.Equal(_local.Search(query, 100), await _index.SearchAsync(query, 100));
    }
}
