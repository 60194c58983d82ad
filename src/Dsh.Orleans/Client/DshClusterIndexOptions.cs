namespace Dsh.Orleans.Client;

/// <summary>How a <see cref="DshClusterIndex"/> rides out silo failures.</summary>
public sealed record DshClusterIndexOptions
{
    /// <summary>
    /// How long one call keeps retrying after transient cluster failures (a silo stopped or killed, a connection
    /// lost, a shard moving to another silo) before it gives up with the last error (default 60 s). Searches are
    /// retried as they are; writes are retried with the same operation id, which the shard recognises if the first
    /// attempt was stored before its answer was lost.
    /// </summary>
    public TimeSpan RetryTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long one attempt of a single search, point read or single add may take before it is abandoned and tried
    /// again (default 5 s; <see cref="Timeout.InfiniteTimeSpan"/> to wait for Orleans' own response timeout, 30 s by
    /// default). A call to a silo that died without a clean shutdown gets no answer until the silo is declared dead;
    /// this bounds that wait. Batch calls (<c>AddRangeAsync</c>, <c>SearchBatchAsync</c>) and snapshots are never cut
    /// short: they can legitimately run long.
    /// </summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The first pause between retries (default 100 ms), growing exponentially up to 2 s, with jitter so that clients
    /// that saw the same failure do not retry in step (Polly's decorrelated-jitter backoff).
    /// </summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Checks the values; throws <see cref="ArgumentOutOfRangeException"/> naming the first bad one.</summary>
    public DshClusterIndexOptions Validated()
    {
        if (RetryTimeout < TimeSpan.Zero || RetryTimeout > TimeSpan.FromHours(1))
        {
            throw new ArgumentOutOfRangeException(nameof(RetryTimeout), RetryTimeout, "RetryTimeout must be between 0 (no retries) and 1 hour.");
        }

        if (AttemptTimeout != Timeout.InfiniteTimeSpan && (AttemptTimeout <= TimeSpan.Zero || AttemptTimeout > TimeSpan.FromHours(1)))
        {
            throw new ArgumentOutOfRangeException(nameof(AttemptTimeout), AttemptTimeout, "AttemptTimeout must be above 0 and at most 1 hour, or Timeout.InfiniteTimeSpan.");
        }

        if (RetryDelay <= TimeSpan.Zero || RetryDelay > TimeSpan.FromSeconds(10))
        {
            throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, "RetryDelay must be above 0 and at most 10 s.");
        }

        return this;
    }
}
