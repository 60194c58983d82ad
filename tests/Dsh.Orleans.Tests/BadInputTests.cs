using Dsh.Hashing;
using Dsh.Orleans.Client;
using Dsh.Orleans.Tests.Support;
using Orleans.TestingHost;

namespace Dsh.Orleans.Tests;

/// <summary>Bad arguments give the cluster index the local index's exceptions (type, message, parameter), including those a shard raises on a silo.</summary>
[Collection(RedisCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class BadInputTests(RedisServer redis) : IAsyncLifetime
{
    private const int Bits = 64;
    private TestCluster _cluster = null!;
    private DshClusterIndex _index = null!;
    private readonly HammingIndex _local = new(Bits);
    private readonly Random _random = new(5);

    public async Task InitializeAsync()
    {
        _cluster = await TestClusters.StartAsync(redis, silos: 2, serviceId: "dsh-bad-" + Guid.NewGuid().ToString("N")[..8]);
        _index = await DshClusterIndex.CreateAsync(_cluster.Client, "bad", Bits, shardCount: 3);
        for (long id = 0; id < 20; id++)
        {
            BinaryCode code = Codes.Random(_random, Bits);
            _local.Add(id, code);
            await _index.AddAsync(id, code);
        }
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Adds_reject_what_the_local_index_rejects()
    {
        BinaryCode wrong = Codes.Random(_random, 32);
        BinaryCode good = Codes.Random(_random, Bits);
        await Same.ExceptionAsync(() => _local.Add(100, wrong), () => _index.AddAsync(100, wrong));
        await Same.ExceptionAsync(() => _local.Add(100, null!), () => _index.AddAsync(100, null!));
        // Raised by the shard on its silo and carried back by Orleans.
        await Same.ExceptionAsync(() => _local.Add(7, good), () => _index.AddAsync(7, good));
        Assert.Equal(20, await _index.CountAsync());
    }

    [Fact]
    public async Task Batch_adds_reject_what_the_local_index_rejects_and_store_nothing()
    {
        BinaryCodeSet two = BinaryCodeSet.FromCodes([Codes.Random(_random, Bits), Codes.Random(_random, Bits)], Bits);
        BinaryCodeSet wrongBits = BinaryCodeSet.FromCodes([Codes.Random(_random, 32), Codes.Random(_random, 32)], 32);
        await Same.ExceptionAsync(() => _local.AddRange([200L, 201L, 202L], two), () => _index.AddRangeAsync([200L, 201L, 202L], two));
        await Same.ExceptionAsync(() => _local.AddRange([200L, 201L], wrongBits), () => _index.AddRangeAsync([200L, 201L], wrongBits));
        await Same.ExceptionAsync(() => _local.AddRange(null!, two), () => _index.AddRangeAsync(null!, two));
        await Same.ExceptionAsync(() => _local.AddRange([200L, 201L], null!), () => _index.AddRangeAsync([200L, 201L], null!));
        await Same.ExceptionAsync(() => _local.AddRange([200L, 200L], two), () => _index.AddRangeAsync([200L, 200L], two));
        // An id stored on some shard, and a repeated id after it: the first offence in batch order is reported.
        await Same.ExceptionAsync(() => _local.AddRange([300L, 3L], two), () => _index.AddRangeAsync([300L, 3L], two));
        BinaryCodeSet three = BinaryCodeSet.FromCodes([Codes.Random(_random, Bits), Codes.Random(_random, Bits), Codes.Random(_random, Bits)], Bits);
        await Same.ExceptionAsync(() => _local.AddRange([301L, 301L, 4L], three), () => _index.AddRangeAsync([301L, 301L, 4L], three));
        await Same.ExceptionAsync(() => _local.AddRange([(302L, (BinaryCode)null!)]), () => _index.AddRangeAsync([(302L, (BinaryCode)null!)]));
        Assert.Equal(20, await _index.CountAsync());
        Assert.False(await _index.ContainsAsync(300));
        Assert.False(await _index.ContainsAsync(301));
    }

    [Fact]
    public async Task Searches_reject_what_the_local_index_rejects()
    {
        BinaryCode query = Codes.Random(_random, Bits);
        BinaryCode wrong = Codes.Random(_random, 128);
        await Same.ExceptionAsync(() => _local.Search(query, 0), () => _index.SearchAsync(query, 0));
        await Same.ExceptionAsync(() => _local.Search(query, -3), () => _index.SearchAsync(query, -3));
        await Same.ExceptionAsync(() => _local.Search(wrong, 5), () => _index.SearchAsync(wrong, 5));
        await Same.ExceptionAsync(() => _local.Search(null!, 5), () => _index.SearchAsync(null!, 5));
        await Same.ExceptionAsync(() => _local.SearchBatch([query, wrong], 5), () => _index.SearchBatchAsync([query, wrong], 5));
        await Same.ExceptionAsync(() => _local.SearchBatch([query, null!], 5), () => _index.SearchBatchAsync([query, null!], 5));
        await Same.ExceptionAsync(() => _local.SearchBatch(null!, 5), () => _index.SearchBatchAsync(null!, 5));
        await Same.ExceptionAsync(() => _local.SearchBatch([query], 0), () => _index.SearchBatchAsync([query], 0));
        await Same.ExceptionAsync(() => _local.SearchRadius(query, -1), () => _index.SearchRadiusAsync(query, -1));
    }

    [Fact]
    public async Task Argument_errors_are_found_without_asking_the_cluster()
    {
        IGrainFactory client = _cluster.Client;
        await _cluster.StopAllSilosAsync(); // nothing left to answer: each check below must be local and immediate
        BinaryCodeSet two = BinaryCodeSet.FromCodes([Codes.Random(_random, Bits), Codes.Random(_random, Bits)], Bits);
        BinaryCodeSet wrongBits = BinaryCodeSet.FromCodes([Codes.Random(_random, 32)], 32);
        BinaryCode query = Codes.Random(_random, Bits);
        await Same.ExceptionAsync(() => _local.AddRange(null!, two), () => _index.AddRangeAsync(null!, two));
        await Same.ExceptionAsync(() => _local.AddRange([500L, 501L], null!), () => _index.AddRangeAsync([500L, 501L], null!));
        await Same.ExceptionAsync(() => _local.AddRange([500L], two), () => _index.AddRangeAsync([500L], two));
        await Same.ExceptionAsync(() => _local.AddRange([500L], wrongBits), () => _index.AddRangeAsync([500L], wrongBits));
        await Same.ExceptionAsync(() => _local.Add(500, wrongBits[0]), () => _index.AddAsync(500, wrongBits[0]));
        await Same.ExceptionAsync(() => _local.Search(query, 0), () => _index.SearchAsync(query, 0));
        await Same.ExceptionAsync(() => _local.SearchBatch([query, null!], 3), () => _index.SearchBatchAsync([query, null!], 3));
        int codeLength = 0; // the shared check names the caller's argument, as the cluster's does
        await Same.ExceptionAsync(() => HammingIndexArguments.CheckCodeLength(codeLength), () => DshClusterIndex.CreateAsync(client, "x", codeLength, 2));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => DshClusterIndex.CreateAsync(client, "x", Bits, 0));
    }

    [Fact]
    public async Task An_index_keeps_the_code_length_and_shard_count_it_was_created_with()
    {
        DshClusterIndex again = await DshClusterIndex.CreateAsync(_cluster.Client, "bad", Bits, shardCount: 3);
        Assert.Equal(3, again.ShardCount);
        var other = await Assert.ThrowsAsync<InvalidOperationException>(() => DshClusterIndex.CreateAsync(_cluster.Client, "bad", Bits, shardCount: 4));
        Assert.Contains("3 shards", other.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => DshClusterIndex.CreateAsync(_cluster.Client, "bad", 128, shardCount: 3));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => DshClusterIndex.OpenAsync(_cluster.Client, "never-created"));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => DshClusterIndex.CreateAsync(_cluster.Client, "zero", Bits, shardCount: 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => DshClusterIndex.CreateAsync(_cluster.Client, "big", BinaryCode.MaxCodeLength + 1, shardCount: 2));
        await Assert.ThrowsAsync<ArgumentException>(() => DshClusterIndex.CreateAsync(_cluster.Client, "no spaces", Bits, shardCount: 2));
        DshClusterIndex opened = await DshClusterIndex.OpenAsync(_cluster.Client, "bad");
        Assert.Equal((Bits, 3), (opened.CodeLength, opened.ShardCount));
    }
}
