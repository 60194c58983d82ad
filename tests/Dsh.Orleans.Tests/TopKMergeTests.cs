using Dsh.Hashing;
using Dsh.Orleans.Client;

namespace Dsh.Orleans.Tests;

/// <summary>Merging per-shard top-k lists gives the top-k of all codes, ties broken by id, against brute force.</summary>
public sealed class TopKMergeTests
{
    [Fact]
    public void Merge_equals_sorting_everything()
    {
        var random = new Random(9);
        for (int trial = 0; trial < 200; trial++)
        {
            int shards = random.Next(1, 6);
            var all = Enumerable.Range(0, random.Next(0, 60)).Select(i => new Neighbor(i * 3L - 50, random.Next(0, 5))).ToArray();
            var lists = Enumerable.Range(0, shards).Select(s => all.Where(n => Math.Abs(n.Id) % shards == s).Order().ToArray()).ToArray();
            int k = random.Next(1, 70);
            var lists_k = lists.Select(l => l.Take(k).ToArray()).ToArray(); // what each shard returns
            Assert.Equal(all.Order().Take(k).ToArray(), TopKMerge.Merge(lists_k, k));
        }
    }

    [Fact]
    public void Equal_distances_are_ordered_by_id()
    {
        Neighbor[] merged = TopKMerge.Merge([[new(5, 1), new(9, 1)], [new(-2, 1), new(7, 0)]], 3);
        Assert.Equal([new Neighbor(7, 0), new Neighbor(-2, 1), new Neighbor(5, 1)], merged);
    }
}
