namespace Dsh.Training;

/// <summary>
/// The time a training run has left. The first epoch's steps also fill the frozen-stage cache (decoding each image and
/// running the frozen stages once), which later steps do not pay again, so wall time per step alone overestimates the
/// run while the cache fills (about five times the whole run after the first steps on PACS). The estimate therefore
/// splits the time so far: the steps left at the mean step time without the cache fill (each epoch's code update
/// included), plus the items the cache has still to take at the mean fill time per item so far.
/// </summary>
internal static class TrainingEta
{
    /// <summary>Time left, from the run's timings so far.</summary>
    /// <param name="elapsed">Wall time of this run's training loop so far (steps, code updates and cache fill).</param>
    /// <param name="stepsDone">Network steps this run has taken, at least 1.</param>
    /// <param name="stepsLeft">Network steps still to take.</param>
    /// <param name="fillElapsed">The part of <paramref name="elapsed"/> spent filling the cache.</param>
    /// <param name="itemsFilled">Items the cache has taken so far.</param>
    /// <param name="itemsLeftToFill">Items the cache can still take (0 when it is full or there is none).</param>
    public static TimeSpan Estimate(TimeSpan elapsed, long stepsDone, long stepsLeft, TimeSpan fillElapsed, long itemsFilled, long itemsLeftToFill)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsDone, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(stepsLeft);
        ArgumentOutOfRangeException.ThrowIfNegative(itemsFilled);
        ArgumentOutOfRangeException.ThrowIfNegative(itemsLeftToFill);
        double stepSeconds = Math.Max(0, (elapsed - fillElapsed).TotalSeconds) / stepsDone;
        double fillSeconds = itemsFilled > 0 ? fillElapsed.TotalSeconds / itemsFilled * itemsLeftToFill : 0;
        return TimeSpan.FromSeconds(stepSeconds * stepsLeft + fillSeconds);
    }
}
