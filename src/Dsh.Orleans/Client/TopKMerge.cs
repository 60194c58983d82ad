using Dsh.Hashing;

namespace Dsh.Orleans.Client;

/// <summary>
/// Merges per-shard results, each ordered by (distance, id), into one list ordered the same way. Shards hold disjoint
/// ids, so the merge of their top-k lists is exactly the top-k of one index over all codes.
/// </summary>
internal static class TopKMerge
{
    /// <summary>The first <paramref name="k"/> of all <paramref name="lists"/> together (no limit when k is <see cref="int.MaxValue"/>).</summary>
    public static Neighbor[] Merge(IReadOnlyList<IReadOnlyList<Neighbor>> lists, int k)
    {
        int total = 0;
        foreach (IReadOnlyList<Neighbor> list in lists)
        {
            total += list.Count;
        }

        var all = new Neighbor[total];
        int at = 0;
        foreach (IReadOnlyList<Neighbor> list in lists)
        {
            foreach (Neighbor n in list)
            {
                all[at++] = n;
            }
        }

        Array.Sort(all);
        return total <= k ? all : all[..k];
    }
}
