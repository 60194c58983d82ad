using Dsh.Hashing;
using Dsh.Orleans.Client;
using Dsh.Orleans.Tests.Support;
using Orleans.TestingHost;

namespace Dsh.Orleans.Tests;

/// <summary>
/// Property test on a real 3-silo cluster (TCP, Redis membership and storage): over seeds, code lengths and shard
/// counts, every search of the cluster index equals the local <see cref="HammingIndex"/> over the same codes, for k from
/// 1 to more than the total, through adds, batch adds and removals.
/// </summary>
[Collection(RedisCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class ClusterEqualsLocalIndexTests(RedisServer redis) : IAsyncLifetime
{
    private readonly ThreeSiloCluster _fixture = new(redis);

    private TestCluster Cluster => _fixture.Cluster;

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task Searches_equal_one_local_index_over_all_codes()
    {
        int[] bitChoices = [8, 32, 64, 128, 256, 100];
        for (int seed = 1; seed <= 6; seed++)
        {
            var random = new Random(seed);
            int bits = bitChoices[seed - 1];
            int shards = 1 + random.Next(5);
            int count = seed == 1 ? 0 : random.Next(50, 400);
            var index = await DshClusterIndex.CreateAsync(Cluster.Client, $"eq-{seed}", bits, shards);
            var local = new HammingIndex(bits);
            BinaryCode[] centres = Enumerable.Range(0, 4).Select(_ => Codes.Random(random, bits)).ToArray();

            // Half one by one, half in one batch; ids spread over the whole long range.
            var ids = Enumerable.Range(0, count).Select(_ => random.NextInt64(long.MinValue, long.MaxValue)).Distinct().ToArray();
            var codes = ids.Select(_ => Codes.Clustered(random, bits, centres)).ToArray();
            int half = ids.Length / 2;
            for (int i = 0; i < half; i++)
            {
                local.Add(ids[i], codes[i]);
                await index.AddAsync(ids[i], codes[i]);
            }

            BinaryCodeSet rest = BinaryCodeSet.FromCodes(codes[half..], bits);
            local.AddRange(ids[half..], rest);
            await index.AddRangeAsync(ids[half..], rest);
            await AssertSameAsync(local, index, random, bits, centres, $"seed {seed}, {bits} bits, {shards} shards, {ids.Length} codes");

            // Remove a fifth, then put some back with new codes.
            foreach (long id in ids.Where((_, i) => i % 5 == 0))
            {
                Assert.Equal(local.Remove(id), await index.RemoveAsync(id));
            }

            Assert.Equal(local.Remove(12345678901L), await index.RemoveAsync(12345678901L));
            foreach (long id in ids.Where((_, i) => i % 10 == 0))
            {
                BinaryCode code = Codes.Clustered(random, bits, centres);
                local.Add(id, code);
                await index.AddAsync(id, code);
            }

            await AssertSameAsync(local, index, random, bits, centres, $"seed {seed} after removals");
            Assert.Equal(local.Count, await index.CountAsync());
        }
    }

    private static async Task AssertSameAsync(HammingIndex local, DshClusterIndex index, Random random, int bits, BinaryCode[] centres, string what)
    {
        int total = local.Count;
        int[] ks = new[] { 1, 2, 3, 10, total - 1, total, total + 1, total + 50 }.Where(k => k >= 1).Distinct().ToArray();
        var queries = Enumerable.Range(0, 6).Select(i => i % 2 == 0 ? Codes.Clustered(random, bits, centres) : Codes.Random(random, bits)).ToArray();
        foreach (int k in ks)
        {
            foreach (BinaryCode query in queries)
            {
                Assert.Equal(local.Search(query, k), await index.SearchAsync(query, k));
            }

            IReadOnlyList<IReadOnlyList<Neighbor>> batch = await index.SearchBatchAsync(queries, k);
            IReadOnlyList<IReadOnlyList<Neighbor>> expected = local.SearchBatch(queries, k);
            Assert.Equal(expected.Count, batch.Count);
            for (int q = 0; q < queries.Length; q++)
            {
                Assert.True(expected[q].SequenceEqual(batch[q]), $"{what}: batch query {q}, k {k}");
            }
        }

        foreach (int radius in new[] { 0, 3, bits / 2 })
        {
            Assert.Equal(local.SearchRadius(queries[0], radius), await index.SearchRadiusAsync(queries[0], radius));
        }

        foreach (long id in local.Snapshot().Ids.Take(20))
        {
            Assert.True(local.TryGetCode(id, out BinaryCode? code));
            Assert.Equal(code, await index.GetCodeAsync(id));
        }
    }
}
