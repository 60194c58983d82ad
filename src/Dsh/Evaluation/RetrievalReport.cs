namespace Dsh.Evaluation;

/// <summary>
/// What <see cref="RetrievalEvaluation.Evaluate"/> measured: ranking quality of Hamming ranking (mAP@all,
/// precision and recall at <see cref="K"/>, each by the deterministic tie rule and tie-aware), the Hamming-radius
/// precision–recall curve, search time and code memory. See docs/evaluation.md for the formulas.
/// </summary>
/// <remarks>
/// <para>Deterministic rule: the gallery is ranked by Hamming distance, ties in gallery order (as
/// <see cref="Hashing.HammingIndex"/> orders ties by id and <see cref="RetrievalMetrics"/> ranks) — the numbers then
/// depend on the gallery order, so shuffle a gallery that is sorted by category. Tie-aware: the exact expectation
/// over all orders of each group of equally distant items (McSherry &amp; Najork, ECIR 2008), independent of the
/// gallery order.</para>
/// <para>A query is relevant-free when no gallery item has its label: such queries are left out of the means of
/// AP and recall (they have no defined value) and count as 0 in precision@K.</para>
/// </remarks>
public sealed record RetrievalReport
{
    /// <summary>Number of queries evaluated.</summary>
    public required int Queries { get; init; }

    /// <summary>Number of gallery items.</summary>
    public required int GalleryCount { get; init; }

    /// <summary>Code length in bits.</summary>
    public required int Bits { get; init; }

    /// <summary>Queries with no relevant gallery item (left out of the mAP and recall means).</summary>
    public required int QueriesWithoutRelevant { get; init; }

    /// <summary>
    /// Mean average precision over the full ranking, ties in gallery order (equals
    /// <see cref="RetrievalMetrics.MeanAveragePrecision"/>); 0 when every query is relevant-free.
    /// </summary>
    public required double MapAll { get; init; }

    /// <summary>Mean of the exact expected AP over all orders of tied items; 0 when every query is relevant-free.</summary>
    public required double TieAwareMapAll { get; init; }

    /// <summary>The K used: <see cref="RetrievalEvaluationOptions.K"/> capped at <see cref="GalleryCount"/>.</summary>
    public required int K { get; init; }

    /// <summary>
    /// Mean over all queries of (relevant among the first K) / K, ties in gallery order (equals
    /// <see cref="RetrievalMetrics.PrecisionAt"/> with this K).
    /// </summary>
    public required double PrecisionAtK { get; init; }

    /// <summary>Mean over the queries with a relevant item of (relevant among the first K) / (relevant in the gallery), ties in gallery order.</summary>
    public required double RecallAtK { get; init; }

    /// <summary>Precision@K expected over all orders of tied items (the boundary tie group contributes pro rata).</summary>
    public required double TieAwarePrecisionAtK { get; init; }

    /// <summary>Recall@K expected over all orders of tied items.</summary>
    public required double TieAwareRecallAtK { get; init; }

    /// <summary>Points for radius 0 to <see cref="Bits"/>, in that order (see <see cref="PrecisionRecallPoint"/>).</summary>
    public required IReadOnlyList<PrecisionRecallPoint> PrecisionRecallCurve { get; init; }

    /// <summary>
    /// Mean wall time of one top-<see cref="K"/> search of a query code in a <see cref="Hashing.HammingIndex"/> of the
    /// gallery (one thread, after one untimed warm-up search), in milliseconds; null when
    /// <see cref="RetrievalEvaluationOptions.MeasureSearchTime"/> is false. Excludes encoding: see
    /// <see cref="WithEncodeTime"/>.
    /// </summary>
    public double? MeanSearchMilliseconds { get; init; }

    /// <summary>
    /// Mean time to encode one query (image → code), in milliseconds, as given to <see cref="WithEncodeTime"/>;
    /// null until then (the evaluation sees codes, not the model).
    /// </summary>
    public double? MeanEncodeMilliseconds { get; init; }

    /// <summary>Mean query time, encode + search, in milliseconds; null unless both parts are known.</summary>
    public double? MeanQueryMilliseconds => MeanEncodeMilliseconds + MeanSearchMilliseconds;

    /// <summary>
    /// Bytes a gallery code takes in <see cref="Hashing.HammingIndex"/> and <see cref="Hashing.BinaryCodeSet"/>:
    /// 8 · ceil(bits / 64) (codes are stored as 64-bit words). Excludes the 8-byte id, the id lookup and, on
    /// AVX-512 machines, the index's bit-sliced copy (about bits / 8 more bytes).
    /// </summary>
    public required int BytesPerGalleryItem { get; init; }

    /// <summary>Bytes a gallery code takes tightly packed (ceil(bits / 8), the FAISS and file layout).</summary>
    public required int PackedBytesPerGalleryItem { get; init; }

    /// <summary>Returns a copy with <see cref="MeanEncodeMilliseconds"/> = <paramref name="total"/> / <paramref name="items"/>.</summary>
    /// <param name="total">Wall time spent encoding <paramref name="items"/> queries (for example the query sketches).</param>
    /// <param name="items">How many queries that time encoded, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="items"/> is below 1 or <paramref name="total"/> is negative.</exception>
    public RetrievalReport WithEncodeTime(TimeSpan total, int items)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(items, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(total, TimeSpan.Zero);
        return this with { MeanEncodeMilliseconds = total.TotalMilliseconds / items };
    }
}
