namespace Dsh.Evaluation;

/// <summary>
/// Scores of a two-stage search (<see cref="RankedRetrievalEvaluation"/>): category-level mAP and precision, and, for
/// queries drawn from a specific gallery item (a Sketchy sketch and its photo share a group), where that item ranks.
/// </summary>
public sealed record RankedRetrievalReport
{
    /// <summary>The second stage measured.</summary>
    public required Dsh.Hashing.RerankMode Rerank { get; init; }

    /// <summary>How many of the Hamming order's first items the second stage re-ordered.</summary>
    public required int Depth { get; init; }

    /// <summary>Number of queries.</summary>
    public required int Queries { get; init; }

    /// <summary>Mean average precision over the whole ranking (category relevance), over queries with a relevant item.</summary>
    public required double MapAll { get; init; }

    /// <summary>Mean precision of the first 10 (category relevance), over all queries.</summary>
    public required double PrecisionAt10 { get; init; }

    /// <summary>Queries whose own target (a gallery item of the same group) is in the gallery; 0 when the data has no groups.</summary>
    public required int InstanceQueries { get; init; }

    /// <summary>Fraction of <see cref="InstanceQueries"/> whose target ranks first (null when there are none).</summary>
    public double? AccuracyAt1 { get; init; }

    /// <summary>Fraction of <see cref="InstanceQueries"/> whose target is in the first 10 (null when there are none).</summary>
    public double? AccuracyAt10 { get; init; }

    /// <summary>Median 1-based rank of the target over <see cref="InstanceQueries"/> (null when there are none).</summary>
    public double? MedianTargetRank { get; init; }
}
