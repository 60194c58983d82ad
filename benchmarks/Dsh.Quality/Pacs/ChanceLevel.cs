namespace Dsh.Quality.Pacs;

/// <summary>What a ranking that knows nothing scores: the reference line of every results table.</summary>
internal static class ChanceLevel
{
    /// <summary>
    /// The expected average precision of a uniformly random ranking of <paramref name="gallery"/> items of which
    /// <paramref name="relevant"/> are relevant: with rel_k the relevance at rank k,
    /// E[AP] = (1/R) Σ_k (1/k) (E[rel_k] + Σ_{j&lt;k} E[rel_j rel_k]) = H_N / N + (R − 1)(N − H_N) / (N (N − 1)),
    /// H_N the N-th harmonic number. Slightly above R / N because the first relevant item counts fully.
    /// </summary>
    public static double ExpectedAveragePrecision(int relevant, int gallery)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gallery, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(relevant, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(relevant, gallery);
        if (gallery == 1)
        {
            return 1.0;
        }
        double harmonic = 0;
        for (int k = 1; k <= gallery; k++)
        {
            harmonic += 1.0 / k;
        }
        double n = gallery;
        return harmonic / n + (relevant - 1) * (n - harmonic) / (n * (n - 1));
    }

    /// <summary>The mean over queries of <see cref="ExpectedAveragePrecision"/>: the expected mAP@all of random codes.</summary>
    public static double ExpectedMeanAveragePrecision(IReadOnlyList<int> queryLabels, IReadOnlyList<int> galleryLabels) =>
        queryLabels.Average(q => ExpectedAveragePrecision(galleryLabels.Count(g => g == q), galleryLabels.Count));

    /// <summary>The mean over queries of the fraction of the gallery that is relevant (= the expected P@K of a random ranking).</summary>
    public static double RelevantFraction(IReadOnlyList<int> queryLabels, IReadOnlyList<int> galleryLabels) =>
        queryLabels.Average(q => galleryLabels.Count(g => g == q) / (double)galleryLabels.Count);

    /// <summary>The best possible mean P@K: a query with R relevant items scores at most min(R, K) / K.</summary>
    public static double PrecisionCeiling(int k, IReadOnlyList<int> queryLabels, IReadOnlyList<int> galleryLabels) =>
        queryLabels.Average(q => Math.Min(k, galleryLabels.Count(g => g == q)) / (double)k);
}
