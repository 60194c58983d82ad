using System.Collections.Concurrent;
using System.Diagnostics;
using Dsh.Hashing;
using Dsh.Orleans.Client;
using Dsh.Orleans.Grains;
using Dsh.Orleans.Tests.Support;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace Dsh.Orleans.Tests;

/// <summary>
/// Silos die in the middle of a stream of adds and searches: one stopped cleanly, one killed without a shutdown.
/// Searches keep answering, no result holds an id twice, every acknowledged add is still there, and a new cluster
/// started from Redis alone answers the same.
/// </summary>
[Collection(RedisCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class FaultTests(RedisServer redis, ITestOutputHelper output)
{
    private const int Bits = 64;

    [Fact]
    public async Task Stopped_and_killed_silos_lose_no_acknowledged_add()
    {
        string service = "dsh-fault-" + Guid.NewGuid().ToString("N")[..8];
        TestCluster cluster = await TestClusters.StartAsync(redis, silos: 3, service, maxLogEntries: 100, snapshotChunkBytes: 4096);
        var acknowledged = new ConcurrentDictionary<long, bool>();
        var failures = new ConcurrentQueue<Exception>();
        var duplicates = new ConcurrentQueue<string>();
        var searchLatencies = new ConcurrentQueue<double>();
        long searches = 0, searchesAfterKill = 0;
        bool killed = false;
        try
        {
            DshClusterIndex index = await DshClusterIndex.CreateAsync(cluster.Client, "stream", Bits, shardCount: 4);
            using var stop = new CancellationTokenSource();
            Task writer = Task.Run(async () =>
            {
                for (long id = 0; !stop.IsCancellationRequested; id++)
                {
                    try
                    {
                        await index.AddAsync(id, CodeOf(id));
                        acknowledged[id] = true;
                    }
                    catch (Exception e)
                    {
                        failures.Enqueue(e);
                    }
                }
            });
            Task searcher = Task.Run(async () =>
            {
                var random = new Random(1);
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        var clock = Stopwatch.StartNew();
                        IReadOnlyList<Neighbor> hits = await index.SearchAsync(Codes.Random(random, Bits), 25);
                        searchLatencies.Enqueue(clock.Elapsed.TotalMilliseconds);
                        if (hits.Select(h => h.Id).Distinct().Count() != hits.Count)
                        {
                            duplicates.Enqueue(string.Join(",", hits.Select(h => h.Id)));
                        }

                        Interlocked.Increment(ref searches);
                        if (Volatile.Read(ref killed))
                        {
                            Interlocked.Increment(ref searchesAfterKill);
                        }
                    }
                    catch (Exception e)
                    {
                        failures.Enqueue(e);
                    }
                }
            });

            // Each phase lasts until the stream has made progress (never a fixed sleep: the machine may be slow).
            await UntilAsync(() => acknowledged.Count >= 300, "300 adds before the first stop");
            long beforeStop = acknowledged.Count;
            await cluster.StopSiloAsync(cluster.SecondarySilos[0]);
            output.WriteLine($"stopped a silo cleanly after {beforeStop} adds");
            await UntilAsync(() => acknowledged.Count >= beforeStop + 300, "300 adds after the clean stop");
            await cluster.StartAdditionalSiloAsync();
            long afterStart = acknowledged.Count;
            await UntilAsync(() => acknowledged.Count >= afterStart + 300, "300 adds after a silo joined");
            // Kill the silo that hosts the most shards, so shards must come back elsewhere from Redis.
            IReadOnlyList<ShardInfo> placed = await index.GetShardInfoAsync();
            SiloHandle victim = cluster.Silos.OrderByDescending(s => placed.Count(p => p.Silo == s.SiloAddress.ToString())).First();
            int victimShards = placed.Count(p => p.Silo == victim.SiloAddress.ToString());
            output.WriteLine($"shards on: {string.Join(", ", placed.Select(p => p.Silo))}; killing {victim.SiloAddress} ({victimShards} shards)");
            Assert.True(victimShards > 0, "the killed silo hosts a shard");
            long beforeKill = acknowledged.Count;
            await cluster.KillSiloAsync(victim);
            Volatile.Write(ref killed, true);
            output.WriteLine($"killed a silo after {beforeKill} adds");
            await UntilAsync(() => acknowledged.Count >= beforeKill + 300 && Interlocked.Read(ref searchesAfterKill) >= 50, "300 adds and 50 searches after the kill");
            stop.Cancel();
            await Task.WhenAll(writer, searcher);

            output.WriteLine($"{acknowledged.Count} adds acknowledged, {searches} searches ({searchesAfterKill} after the kill); " +
                             $"search latency max {searchLatencies.Max():F0} ms, median {Median(searchLatencies):F1} ms");
            IReadOnlyList<ShardInfo> moved = await index.GetShardInfoAsync();
            output.WriteLine($"shards now on: {string.Join(", ", moved.Select(p => p.Silo))}");
            Assert.DoesNotContain(moved, p => p.Silo == victim.SiloAddress.ToString());
            Assert.Empty(failures);
            Assert.Empty(duplicates);
            Assert.True(acknowledged.Count > beforeKill, "adds went on after the kill");
            Assert.True(searchesAfterKill > 0, "searches answered after the kill");
            await AssertHoldsExactlyAsync(index, acknowledged.Keys);
        }
        finally
        {
            await cluster.DisposeAsync();
        }

        // The whole cluster again, from Redis alone.
        TestCluster again = await TestClusters.StartAsync(redis, silos: 2, service, maxLogEntries: 100, snapshotChunkBytes: 4096);
        try
        {
            await AssertHoldsExactlyAsync(await DshClusterIndex.OpenAsync(again.Client, "stream"), acknowledged.Keys);
        }
        finally
        {
            await again.DisposeAsync();
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds; fails after two minutes.</summary>
    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }

    /// <summary>The index holds every id in <paramref name="ids"/> with its code, nothing else, and a search over everything returns each once.</summary>
    private static async Task AssertHoldsExactlyAsync(DshClusterIndex index, ICollection<long> ids)
    {
        Assert.Equal(ids.Count, await index.CountAsync());
        IReadOnlyList<Neighbor> all = await index.SearchAsync(CodeOf(0), ids.Count + 10);
        Assert.Equal(ids.Order(), all.Select(n => n.Id).Order());
        foreach (long id in ids.Where(id => id % 97 == 0))
        {
            Assert.Equal(CodeOf(id), await index.GetCodeAsync(id));
        }

        var local = new HammingIndex(Bits);
        local.AddRange(ids.Select(id => (id, CodeOf(id))));
        BinaryCode query = CodeOf(123456);
        Assert.Equal(local.Search(query, 30), await index.SearchAsync(query, 30));
    }

    private static BinaryCode CodeOf(long id) => Codes.Random(new Random((int)(id * 2654435761 % int.MaxValue)), Bits);

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }
}
