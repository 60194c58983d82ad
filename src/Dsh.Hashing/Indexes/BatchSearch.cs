namespace Dsh.Hashing.Indexes;

/// <summary>
/// The batch search both indexes share (<see cref="IHammingIndex.SearchBatch(IReadOnlyList{BinaryCode}, int, int, CancellationToken)"/>):
/// the argument checks, one read lock for the whole batch, and the queries cut into groups that run on the calling
/// thread or in parallel. The index supplies only how one group is answered.
/// </summary>
internal static class BatchSearch
{
    /// <summary>Checks the arguments, then answers every query, group after group or groups in parallel.</summary>
    /// <param name="rows">The index's rows: read-locked once for the whole batch (the lock does not recurse, so <paramref name="searchGroup"/> must not take it).</param>
    /// <param name="queries">The queries, checked and copied first.</param>
    /// <param name="k">How many neighbours a query, at least 1.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; -1 for all cores, 1 for the calling thread only.</param>
    /// <param name="cancellationToken">Handed to the parallel loop; <paramref name="searchGroup"/> checks it too.</param>
    /// <param name="groupSize">Queries a group (a unit of work).</param>
    /// <param name="searchGroup">Writes the answers of <c>queries[first .. first + count)</c> into <c>results[first ..]</c>; may run on several threads at once.</param>
    /// <returns>One result list a query, in query order.</returns>
    public static IReadOnlyList<Neighbor>[] Run(
        LockedCodeStore rows,
        IReadOnlyList<BinaryCode> queries,
        int k,
        int maxDegreeOfParallelism,
        CancellationToken cancellationToken,
        int groupSize,
        Action<BinaryCode[], int, int, IReadOnlyList<Neighbor>[]> searchGroup)
    {
        BinaryCode[] checkedQueries = HammingIndexArguments.CheckSearchBatch(rows.CodeLength, queries, k);
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Use -1 for all cores or a positive thread count.");
        }

        var results = new IReadOnlyList<Neighbor>[checkedQueries.Length];
        int groups = (checkedQueries.Length + groupSize - 1) / groupSize;
        void Group(int g) => searchGroup(checkedQueries, g * groupSize, Math.Min(groupSize, checkedQueries.Length - (g * groupSize)), results);
        using (rows.Read())
        {
            if (maxDegreeOfParallelism == 1 || groups <= 1)
            {
                for (int g = 0; g < groups; g++)
                {
                    Group(g);
                }
            }
            else
            {
                var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
                Parallel.For(0, groups, options, Group);
            }
        }

        return results;
    }
}
