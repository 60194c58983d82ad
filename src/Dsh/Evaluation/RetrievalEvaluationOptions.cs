namespace Dsh.Evaluation;

/// <summary>
/// Settings of <see cref="RetrievalEvaluation.Evaluate"/>; <see cref="Validated"/> checks every field.
/// </summary>
public sealed record RetrievalEvaluationOptions
{
    /// <summary>
    /// The cut-off of precision@K and recall@K (default 200, the DSH paper's protocol). Capped at the gallery size
    /// when evaluating; the report gives the K actually used.
    /// </summary>
    public int K { get; init; } = 200;

    /// <summary>
    /// Time a top-<see cref="K"/> <see cref="Hashing.HammingIndex"/> search of each query (default true); false leaves
    /// <see cref="RetrievalReport.MeanSearchMilliseconds"/> null and skips building the index.
    /// </summary>
    public bool MeasureSearchTime { get; init; } = true;

    /// <summary>
    /// Makes the index whose top-K search is timed, given the code length (null, the default: a
    /// <see cref="Dsh.Hashing.HammingIndex"/>). Any <see cref="Dsh.Hashing.IHammingIndex"/> works; the scores do not
    /// depend on it, only <see cref="RetrievalReport.MeanSearchMilliseconds"/> does.
    /// </summary>
    public Func<int, Dsh.Hashing.IHammingIndex>? SearchIndex { get; init; }

    /// <summary>Checks every field; returns this.</summary>
    /// <exception cref="ArgumentException">A field is out of range; the message names it.</exception>
    public RetrievalEvaluationOptions Validated()
    {
        if (K < 1)
        {
            throw new ArgumentException($"RetrievalEvaluationOptions.K must be at least 1, not {K}.", nameof(K));
        }

        return this;
    }
}
