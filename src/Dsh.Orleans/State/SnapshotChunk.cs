namespace Dsh.Orleans.State;

/// <summary>One piece of a shard snapshot, stored under its own state name.</summary>
[GenerateSerializer]
[Alias("dsh.snapshot-chunk")]
public sealed class SnapshotChunk
{
    /// <summary>The bytes of this piece of the index file.</summary>
    [Id(0)] public byte[] Data { get; set; } = Array.Empty<byte>();
}
