using System.Runtime.CompilerServices;
using Dsh.Hashing.Kernels;
using Dsh.Hashing.Search;

namespace Dsh.Hashing.Indexes.Mih;

/// <summary>
/// The probing loop of multi-index hashing (Norouzi, Punjani and Fleet, CVPR 2012), exact.
/// </summary>
/// <remarks>
/// <para>For radius ρ = 0, 1, 2, … and each table j in turn, every substring value at exactly ρ bit flips
/// from the query's substring j is looked up (Gosper's hack enumerates the flip masks), and every row found
/// for the first time in this search is verified with its full distance and offered to the sink.</para>
/// <para>Once table j is done at radius ρ, a row not yet found differs from the query by more than ρ bits in
/// substrings 0..j and by at least ρ in the others, so its distance is at least <c>m·ρ + j + 1</c>. The
/// search is complete as soon as the sink's threshold is below that bound: for a top-k sink the threshold
/// is the k-th distance once k rows are kept (and every tie at it is kept), for a radius sink it is the
/// radius — the pigeonhole principle in incremental form.</para>
/// <para>Before each round the work so far plus the lookups the current threshold still calls for (at
/// least the next round) are priced against a full scan (<see cref="MihCostModel"/>), and so is the work so
/// far after each lookup; when probing would cost more, the caller scans instead, with identical results.</para>
/// </remarks>
internal static class MihSearcher
{
    /// <summary>Probes for <paramref name="query"/> into <paramref name="sink"/>.</summary>
    /// <param name="tables">The substring tables.</param>
    /// <param name="store">The rows.</param>
    /// <param name="query">The query words.</param>
    /// <param name="sink">A fresh sink.</param>
    /// <param name="cost">When to give up.</param>
    /// <param name="stats">What was done.</param>
    /// <returns>True when <paramref name="sink"/> holds the exact answer; false when the caller must scan with a fresh sink.</returns>
    public static bool Probe(MihTables tables, CodeStore store, ReadOnlySpan<ulong> query, NeighborSink sink, MihCostModel cost, ref MihSearchStats stats)
    {
        SubstringLayout layout = tables.Layout;
        int m = layout.Count;
        int n = store.Count;
        double scanCost = (double)n * store.WordsPerCode;
        stats.Radius = -1;
        if (n == 0)
        {
            return true;
        }

        Span<ulong> keys = m <= 128 ? stackalloc ulong[m] : new ulong[m];
        layout.ExtractAll(query, keys);
        int[] marks = VisitedMarks.Begin(tables.RowNumbers, out int stamp);
        int[]? slotOfRow = tables.Tombstones == 0 ? null : tables.SlotOfRow; // null: row = slot
        int builtRows = tables.BuiltRows;
        bool anyRecent = tables.RecentRows != 0;
        long probes = 0, candidates = 0;

        try
        {
            for (int rho = 0; rho <= layout.MaxLength; rho++)
            {
                if (cost.Exceeds(probes + ProbesStillNeeded(layout, rho, sink.Threshold), candidates, scanCost))
                {
                    return false;
                }

                stats.Radius = rho;
                for (int j = 0; j < m; j++)
                {
                    int length = layout.Length(j);
                    long masks = Combinatorics.Binomial(length, rho);
                    CsrTable built = tables.Built(j);
                    DynamicTable recent = tables.Recent(j);
                    ulong mask = Combinatorics.FirstMask(rho);
                    for (long i = 0; i < masks; i++)
                    {
                        if (i != 0)
                        {
                            mask = Combinatorics.NextSamePopCount(mask);
                        }

                        ulong key = keys[j] ^ mask;
                        probes++;
                        foreach (int row in built.Lookup(key))
                        {
                            Visit(row, slotOfRow, marks, stamp, query, store, sink, ref candidates);
                        }

                        if (anyRecent)
                        {
                            for (int e = recent.First(key); e >= 0; e = recent.Older(e))
                            {
                                Visit(builtRows + e, slotOfRow, marks, stamp, query, store, sink, ref candidates);
                            }
                        }

                        if (cost.Exceeds(probes, candidates, scanCost))
                        {
                            return false;
                        }
                    }

                    // Every live row seen, or no unseen row can beat (or tie) the threshold.
                    if (candidates == n || sink.Threshold < (m * rho) + j + 1)
                    {
                        return true;
                    }
                }
            }

            return true;
        }
        finally
        {
            stats.Probes += probes;
            stats.Candidates += candidates;
        }
    }

    /// <summary>Verifies <paramref name="row"/> once: skips removed rows and rows this search has seen.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Visit(int row, int[]? slotOfRow, int[] marks, int stamp, ReadOnlySpan<ulong> query, CodeStore store, NeighborSink sink, ref long candidates)
    {
        int slot = slotOfRow is null ? row : slotOfRow[row];
        if (slot < 0 || marks[row] == stamp)
        {
            return;
        }

        marks[row] = stamp;
        candidates++;
        int d = HammingKernels.Distance(query, store.Row(slot));
        if (d <= sink.Threshold)
        {
            sink.Add(d, slot);
        }
    }

    /// <summary>Lookups of one round: the sum over tables of C(s_j, ρ).</summary>
    private static double ProbesAt(SubstringLayout layout, int rho)
    {
        double sum = 0;
        for (int j = 0; j < layout.Count; j++)
        {
            sum += Combinatorics.Binomial(layout.Length(j), rho);
        }

        return sum;
    }

    /// <summary>
    /// The lookups from round <paramref name="rho"/> on that the current threshold still calls for: rounds
    /// through <c>floor(threshold / m)</c>, the last one up to the table whose bound passes the threshold. A
    /// threshold at the code length means "not known yet" (a top-k sink short of k): the next round only.
    /// </summary>
    private static double ProbesStillNeeded(SubstringLayout layout, int rho, int threshold)
    {
        int m = layout.Count;
        if (threshold >= layout.CodeLength)
        {
            return ProbesAt(layout, rho);
        }

        int last = Math.Min(threshold / m, layout.MaxLength);
        double sum = 0;
        for (int r = rho; r < last; r++)
        {
            sum += ProbesAt(layout, r);
        }

        if (last >= rho)
        {
            // Round `last` ends once table j passes: m·last + j + 1 > threshold.
            int tables = Math.Min(m, threshold - (m * last) + 1);
            for (int j = 0; j < tables; j++)
            {
                sum += Combinatorics.Binomial(layout.Length(j), last);
            }
        }

        return sum;
    }
}
