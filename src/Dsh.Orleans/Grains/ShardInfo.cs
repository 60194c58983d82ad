namespace Dsh.Orleans.Grains;

/// <summary>What a shard reports about itself.</summary>
[GenerateSerializer]
[Alias("dsh.shard-info")]
public sealed record ShardInfo
{
    /// <summary>This shard's number.</summary>
    [Id(0)] public int ShardIndex { get; init; }

    /// <summary>The code length.</summary>
    [Id(1)] public int CodeLength { get; init; }

    /// <summary>Codes held.</summary>
    [Id(2)] public int Count { get; init; }

    /// <summary>Changes in the log since the last snapshot.</summary>
    [Id(3)] public int LogEntries { get; init; }

    /// <summary>Bytes of the last snapshot (0 before the first).</summary>
    [Id(4)] public long SnapshotBytes { get; init; }

    /// <summary>Changes accepted since creation.</summary>
    [Id(5)] public long Changes { get; init; }

    /// <summary>The silo the shard is active on.</summary>
    [Id(6)] public string Silo { get; init; } = "";

    /// <summary>When the current activation started (and restored the shard from storage), UTC.</summary>
    [Id(7)] public DateTime ActivatedUtc { get; init; }
}
