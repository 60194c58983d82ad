namespace Dsh.Orleans.State;

/// <summary>
/// Where a shard's snapshot lies: the file of the index in its checked Dsh format (header, CRC) cut into chunks, each
/// stored under its own state name in grain storage. A new snapshot gets a new <see cref="Id"/>, so writing it never
/// touches the one the stored shard state still points to.
/// </summary>
[GenerateSerializer]
[Alias("dsh.snapshot-ref")]
public sealed class SnapshotReference
{
    /// <summary>A fresh id a snapshot (32 hex digits).</summary>
    [Id(0)] public string Id { get; set; } = "";

    /// <summary>How many chunks.</summary>
    [Id(1)] public int Chunks { get; set; }

    /// <summary>The length of the whole file in bytes.</summary>
    [Id(2)] public long Bytes { get; set; }

    /// <summary>How many codes the snapshot holds (checked on restore).</summary>
    [Id(3)] public int Count { get; set; }

    /// <summary>The length of every chunk but the last.</summary>
    [Id(4)] public int ChunkBytes { get; set; }

    /// <summary>The storage ETag of each chunk as written, so the snapshot can be deleted without reading it back.</summary>
    [Id(5)] public List<string?> ChunkETags { get; set; } = new();
}
