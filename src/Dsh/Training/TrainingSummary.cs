namespace Dsh.Training;

/// <summary>How a training run ended.</summary>
public sealed record TrainingSummary
{
    /// <summary>Epochs completed.</summary>
    public int Epochs { get; init; }

    /// <summary>θ-steps completed in the whole run (including steps before a resume).</summary>
    public long Steps { get; init; }

    /// <summary>The last mini-batch loss of the θ-step.</summary>
    public double FinalBatchLoss { get; init; } = double.NaN;

    /// <summary>The objective's terms after the last code update.</summary>
    public DshLossTerms? FinalTerms { get; init; }

    /// <summary>Where the class vectors came from (for example "wordnet:/usr/share/wordnet" or "one-hot").</summary>
    public string SemanticSource { get; init; } = "";

    /// <summary>Words of category names that the class-vector source had no vector for (those classes got one-hot components).</summary>
    public IReadOnlyList<string> MissingClassWords { get; init; } = Array.Empty<string>();

    /// <summary>The checkpoint the run resumed from, if any.</summary>
    public string? ResumedFrom { get; init; }
}
