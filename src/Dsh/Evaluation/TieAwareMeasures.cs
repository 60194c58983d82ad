namespace Dsh.Evaluation;

/// <summary>
/// Exact expectations over all orders of tied items (McSherry &amp; Najork, "Computing information retrieval
/// performance measures efficiently in the presence of tied scores", ECIR 2008). A ranking is given as its tie
/// groups in rank order: group g holds <c>sizes[g]</c> items, <c>relevant[g]</c> of them relevant, and every order
/// inside a group is equally likely.
/// </summary>
internal static class TieAwareMeasures
{
    /// <summary>
    /// Expected average precision. With N items and R_b relevant ones before a group of n items, r relevant, the
    /// group adds (r / n) · Σ_{j=1..n} (R_b + 1 + (j − 1)(r − 1)/(n − 1)) / (N + j) to the sum of precisions (a
    /// relevant item sits at place j of the group with probability 1/n, and then (j − 1)(r − 1)/(n − 1) other
    /// relevant items are expected before it); AP is that sum over R, the relevant items of the whole ranking.
    /// </summary>
    /// <returns>The expected AP; 0 when no item is relevant.</returns>
    public static double AveragePrecision(ReadOnlySpan<int> sizes, ReadOnlySpan<int> relevant)
    {
        long before = 0;
        long relevantBefore = 0;
        double sum = 0;
        for (int g = 0; g < sizes.Length; g++)
        {
            int n = sizes[g];
            int r = relevant[g];
            if (r > 0)
            {
                double slope = n > 1 ? (double)(r - 1) / (n - 1) : 0;
                double groupSum = 0;
                for (int j = 1; j <= n; j++)
                {
                    groupSum += (relevantBefore + 1 + (j - 1) * slope) / (before + j);
                }

                sum += groupSum * r / n;
            }

            before += n;
            relevantBefore += r;
        }

        return relevantBefore == 0 ? 0 : sum / relevantBefore;
    }

    /// <summary>
    /// Expected relevant items among the first <paramref name="k"/>: all relevant items of the groups that end at or
    /// before k, plus (k − N) · r / n of the group of n items (r relevant, N before it) that k cuts.
    /// </summary>
    public static double ExpectedHitsAt(int k, ReadOnlySpan<int> sizes, ReadOnlySpan<int> relevant)
    {
        long before = 0;
        double hits = 0;
        for (int g = 0; g < sizes.Length && before < k; g++)
        {
            int n = sizes[g];
            hits += before + n <= k ? relevant[g] : (double)(k - before) * relevant[g] / n;
            before += n;
        }

        return hits;
    }
}
