namespace Dsh.Orleans.Grains;

/// <summary>
/// The identity of one logical write across its retries: a random id the client draws once per call, and whether this
/// attempt is a retry. A shard records the ids of the changes it stored (in the same storage write as the change), so a
/// retried write whose first attempt was stored is answered from that record instead of being applied again.
/// </summary>
[GenerateSerializer]
[Alias("dsh.write-op")]
public readonly record struct WriteOperation
{
    /// <summary>Random, drawn once per logical write.</summary>
    [Id(0)] public long Id { get; init; }

    /// <summary>False on the first attempt.</summary>
    [Id(1)] public bool IsRetry { get; init; }

    /// <summary>A new operation id (first attempt).</summary>
    public static WriteOperation New() => new() { Id = Random.Shared.NextInt64(long.MinValue, long.MaxValue) };

    /// <summary>This operation's attempt number <paramref name="attempt"/> (0 = first).</summary>
    public WriteOperation Attempt(int attempt) => this with { IsRetry = attempt > 0 };
}
