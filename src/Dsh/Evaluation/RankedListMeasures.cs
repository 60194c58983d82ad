namespace Dsh.Evaluation;

/// <summary>
/// Measures of one explicit ranking of a gallery (every gallery position once, best first): average precision over
/// the whole list, precision at a cut-off, and the rank of the query's own target (instance retrieval).
/// </summary>
public static class RankedListMeasures
{
    /// <summary>Average precision of a full ranking: mean over relevant items of (relevant ranked at or above it) / its 1-based rank; 0 when none is relevant.</summary>
    /// <param name="ranking">Gallery positions, best first.</param>
    /// <param name="relevant">Whether the gallery item at a position is relevant.</param>
    public static double AveragePrecision(IReadOnlyList<int> ranking, Func<int, bool> relevant)
    {
        ArgumentNullException.ThrowIfNull(ranking);
        ArgumentNullException.ThrowIfNull(relevant);
        int hits = 0;
        double sum = 0;
        for (int r = 0; r < ranking.Count; r++)
        {
            if (relevant(ranking[r]))
            {
                hits++;
                sum += (double)hits / (r + 1);
            }
        }
        return hits == 0 ? 0 : sum / hits;
    }

    /// <summary>Relevant items among the first min(k, count) of the ranking, divided by k.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is below 1.</exception>
    public static double PrecisionAt(int k, IReadOnlyList<int> ranking, Func<int, bool> relevant)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentNullException.ThrowIfNull(ranking);
        ArgumentNullException.ThrowIfNull(relevant);
        int hits = 0;
        for (int r = 0; r < Math.Min(k, ranking.Count); r++)
        {
            if (relevant(ranking[r]))
            {
                hits++;
            }
        }
        return (double)hits / k;
    }

    /// <summary>The 1-based rank of the first item that is a target, or null when none is in the ranking.</summary>
    public static int? FirstTargetRank(IReadOnlyList<int> ranking, Func<int, bool> isTarget)
    {
        ArgumentNullException.ThrowIfNull(ranking);
        ArgumentNullException.ThrowIfNull(isTarget);
        for (int r = 0; r < ranking.Count; r++)
        {
            if (isTarget(ranking[r]))
            {
                return r + 1;
            }
        }
        return null;
    }
}
