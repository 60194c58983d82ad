using Dsh.Hashing;
using Dsh.Orleans.Client;
using Dsh.Orleans.Grains;
using Dsh.Orleans.Tests.Support;
using Orleans.TestingHost;

namespace Dsh.Orleans.Tests;

/// <summary>Shards come back from Redis alone: after their grains are deactivated, and after the whole cluster is replaced by a new one.</summary>
[Collection(RedisCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class PersistenceTests(RedisServer redis)
{
    [Fact]
    public async Task A_new_cluster_on_the_same_Redis_answers_the_same()
    {
        const int bits = 128;
        string service = "dsh-restart-" + Guid.NewGuid().ToString("N")[..8];
        var random = new Random(11);
        var local = new HammingIndex(bits);
        BinaryCode[] queries = Enumerable.Range(0, 8).Select(_ => Codes.Random(random, bits)).ToArray();
        IReadOnlyList<IReadOnlyList<Neighbor>> before;

        // Small log (40) and 4 KiB chunks: 1,000 codes make multi-chunk snapshots and leave a log to replay.
        TestCluster first = await TestClusters.StartAsync(redis, silos: 2, service, maxLogEntries: 40, snapshotChunkBytes: 4096);
        try
        {
            DshClusterIndex index = await DshClusterIndex.CreateAsync(first.Client, "photos", bits, shardCount: 3);
            long[] ids = Enumerable.Range(0, 900).Select(i => (long)i * 7919).ToArray();
            BinaryCodeSet codes = BinaryCodeSet.FromCodes(ids.Select(_ => Codes.Random(random, bits)), bits);
            local.AddRange(ids, codes);
            await index.AddRangeAsync(ids, codes);
            for (long id = 1; id <= 100; id++)
            {
                BinaryCode code = Codes.Random(random, bits);
                local.Add(-id, code);
                await index.AddAsync(-id, code);
            }

            for (long id = 1; id <= 30; id++)
            {
                Assert.True(local.Remove(-id));
                Assert.True(await index.RemoveAsync(-id));
            }

            IReadOnlyList<ShardInfo> shards = await index.GetShardInfoAsync();
            Assert.All(shards, s => Assert.True(s.SnapshotBytes > 4096, "a snapshot of several chunks"));
            Assert.Contains(shards, s => s.LogEntries > 0);

            // Many snapshots were written (log of 40); only the chunks of each shard's current one are left in Redis.
            int chunkKeys = redis.CountKeys($"{service}/*dsh-snapshot-*");
            Assert.Equal(shards.Sum(s => (int)((s.SnapshotBytes + 4095) / 4096)), chunkKeys);
            before = await index.SearchBatchAsync(queries, 50);
            Assert.Equal(local.SearchBatch(queries, 50).Select(r => r.ToArray()), before.Select(r => r.ToArray()));
        }
        finally
        {
            await first.StopAllSilosAsync();
            await first.DisposeAsync();
        }

        TestCluster second = await TestClusters.StartAsync(redis, silos: 2, service, maxLogEntries: 40, snapshotChunkBytes: 4096);
        try
        {
            DshClusterIndex index = await DshClusterIndex.OpenAsync(second.Client, "photos");
            Assert.Equal((bits, 3), (index.CodeLength, index.ShardCount));
            Assert.Equal(local.Count, await index.CountAsync());
            IReadOnlyList<IReadOnlyList<Neighbor>> after = await index.SearchBatchAsync(queries, 50);
            Assert.Equal(before.Select(r => r.ToArray()), after.Select(r => r.ToArray()));
            Assert.Equal(local.Search(queries[0], local.Count + 5), await index.SearchAsync(queries[0], local.Count + 5));
            Assert.False(await index.ContainsAsync(-1));
            Assert.True(await index.ContainsAsync(-31));
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task Deactivated_shards_restore_from_snapshot_and_log()
    {
        const int bits = 64;
        TestCluster cluster = await TestClusters.StartAsync(redis, silos: 2, "dsh-deact-" + Guid.NewGuid().ToString("N")[..8], maxLogEntries: 25, snapshotChunkBytes: 4096);
        try
        {
            var random = new Random(3);
            var local = new HammingIndex(bits);
            DshClusterIndex index = await DshClusterIndex.CreateAsync(cluster.Client, "d", bits, shardCount: 2);
            for (long id = 0; id < 333; id++)
            {
                BinaryCode code = Codes.Random(random, bits);
                local.Add(id, code);
                await index.AddAsync(id, code);
            }

            IReadOnlyList<ShardInfo> before = await index.GetShardInfoAsync();
            Assert.All(before, s => Assert.InRange(s.LogEntries, 1, 25)); // a snapshot and a log to replay
            for (int s = 0; s < index.ShardCount; s++)
            {
                await cluster.DeactivateAsync(cluster.Client.GetGrain<IDshShardGrain>(DshIndexGrain.ShardKey("d", s)));
            }

            BinaryCode query = Codes.Random(random, bits);
            Assert.Equal(local.Search(query, 400), await index.SearchAsync(query, 400));
            IReadOnlyList<ShardInfo> shards = await index.GetShardInfoAsync();
            Assert.Equal(333, shards.Sum(s => s.Count));
            Assert.All(shards.Zip(before), p => Assert.True(p.First.ActivatedUtc > p.Second.ActivatedUtc, "a new activation, restored from storage"));
            Assert.Equal(before.Select(s => (s.Count, s.LogEntries, s.SnapshotBytes)), shards.Select(s => (s.Count, s.LogEntries, s.SnapshotBytes)));
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }
}
