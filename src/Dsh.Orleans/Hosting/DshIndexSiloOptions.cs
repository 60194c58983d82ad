namespace Dsh.Orleans.Hosting;

/// <summary>How the silos keep Dsh shards (<see cref="DshIndexSiloBuilderExtensions.UseDshIndex"/>).</summary>
public sealed class DshIndexSiloOptions
{
    /// <summary>The default <see cref="StorageName"/>.</summary>
    public const string DefaultStorageName = "dsh-index";

    /// <summary>
    /// The name of the grain storage provider that holds shard state, logs and snapshots (default
    /// <c>"dsh-index"</c>); register it with the usual Orleans call, e.g. <c>AddRedisGrainStorage("dsh-index", …)</c>.
    /// </summary>
    public string StorageName { get; set; } = DefaultStorageName;

    /// <summary>
    /// Changes a shard keeps in its log before folding them into a new snapshot (default 4,096; 1 … 1,000,000). Each
    /// acknowledged change rewrites the log, so a smaller log makes single adds cheaper and snapshots more frequent.
    /// </summary>
    public int MaxLogEntries { get; set; } = 4096;

    /// <summary>
    /// How many recent writes a shard remembers by operation id (default 1,024; 0 … 100,000), stored with every change,
    /// so that a write retried after its answer was lost is answered, not applied a second time. A retry that comes
    /// after more than this many newer writes to the same shard falls back to comparing codes (see docs/scale-out.md).
    /// </summary>
    public int RememberedOperations { get; set; } = 1024;

    /// <summary>Bytes a snapshot chunk (default 1 MiB; 4 KiB … 256 MiB): each chunk is one storage entry.</summary>
    public int SnapshotChunkBytes { get; set; } = 1 << 20;

    /// <summary>Checks every value and throws <see cref="ArgumentException"/> naming the first bad one.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(StorageName))
        {
            throw new ArgumentException("DshIndexSiloOptions.StorageName must name a grain storage provider.", nameof(StorageName));
        }

        if (MaxLogEntries is < 1 or > 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxLogEntries), MaxLogEntries, "DshIndexSiloOptions.MaxLogEntries must be between 1 and 1,000,000.");
        }

        if (RememberedOperations is < 0 or > 100_000)
        {
            throw new ArgumentOutOfRangeException(nameof(RememberedOperations), RememberedOperations, "DshIndexSiloOptions.RememberedOperations must be between 0 and 100,000.");
        }

        if (SnapshotChunkBytes is < 4096 or > 256 << 20)
        {
            throw new ArgumentOutOfRangeException(nameof(SnapshotChunkBytes), SnapshotChunkBytes, "DshIndexSiloOptions.SnapshotChunkBytes must be between 4 KiB and 256 MiB.");
        }
    }
}
