namespace Dsh.Orleans.State;

/// <summary>
/// What a shard keeps in grain storage under one key: its identity, the snapshot it starts from and the log of the
/// changes made since. Written before a change is acknowledged, so a shard restored from it has every acknowledged
/// change. Kept small: the log is folded into a new snapshot once it holds <see cref="Hosting.DshIndexSiloOptions.MaxLogEntries"/>
/// entries.
/// </summary>
[GenerateSerializer]
[Alias("dsh.shard-state")]
public sealed class ShardState
{
    /// <summary>The code length; 0 while the shard has not been created. Named <c>Bits</c> because that is its stored name: grain storage keeps state by property name (JSON by default), so a rename would leave stored indexes unreadable.</summary>
    [Id(0)] public int Bits { get; set; }

    /// <summary>This shard's number, 0 … <see cref="ShardCount"/> − 1.</summary>
    [Id(1)] public int ShardIndex { get; set; }

    /// <summary>The index's shard count, fixed at creation.</summary>
    [Id(2)] public int ShardCount { get; set; }

    /// <summary>The snapshot the shard starts from, or null before the first one.</summary>
    [Id(3)] public SnapshotReference? Snapshot { get; set; }

    /// <summary>One entry a change since the snapshot: <see cref="LogOperation.Add"/> or <see cref="LogOperation.Remove"/>.</summary>
    [Id(4)] public List<LogOperation> LogOperations { get; set; } = new();

    /// <summary>The id of each log entry.</summary>
    [Id(5)] public List<long> LogIds { get; set; } = new();

    /// <summary>The packed words of each added code, in log order (removals have none).</summary>
    [Id(6)] public List<ulong> LogWords { get; set; } = new();

    /// <summary>How many changes the shard has accepted since it was created (a version for diagnostics).</summary>
    [Id(7)] public long Changes { get; set; }

    /// <summary>
    /// The ids of the last <see cref="Hosting.DshIndexSiloOptions.RememberedOperations"/> writes stored, oldest first,
    /// written together with their change: a retried write finds here that its first attempt was stored.
    /// </summary>
    [Id(8)] public List<long> RecentOperations { get; set; } = new();
}

/// <summary>A change in a shard's log.</summary>
public enum LogOperation : byte
{
    /// <summary>An id and its code were added.</summary>
    Add = 1,

    /// <summary>An id was removed.</summary>
    Remove = 2,
}
