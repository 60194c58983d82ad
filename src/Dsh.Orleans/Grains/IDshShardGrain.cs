using Dsh.Hashing;
using Orleans.Concurrency;

namespace Dsh.Orleans.Grains;

/// <summary>
/// One shard of a cluster index: a <see cref="HammingIndex"/> over the ids the <see cref="Routing.ShardRouter"/> sends
/// it, persisted in grain storage. Keyed <c>"{index name}/{shard number}"</c>. Applications use
/// <see cref="Client.DshClusterIndex"/>, which routes, scatters and merges; this interface is public so tools can
/// inspect a shard.
/// </summary>
[Alias("dsh.IDshShardGrain")]
public interface IDshShardGrain : IGrainWithStringKey
{
    /// <summary>Creates the shard (idempotent with the same arguments).</summary>
    [Alias("init")]
    Task InitializeAsync(int codeLength, int shardIndex, int shardCount);

    /// <summary>Adds one code; persisted before the call returns.</summary>
    /// <param name="id">The id (routed to this shard).</param>
    /// <param name="code">Its code.</param>
    /// <param name="operation">The write's identity across retries.</param>
    /// <returns>False, with nothing changed, if the id is already stored (the caller raises the local index's exception, which Orleans would not carry whole).</returns>
    [Alias("add")]
    Task<bool> AddAsync(long id, BinaryCode code, WriteOperation operation);

    /// <summary>Adds codes all or none; persisted before the call returns.</summary>
    /// <param name="ids">The ids (all routed to this shard, no duplicates).</param>
    /// <param name="words">Their packed codes, row after row.</param>
    /// <param name="operation">The write's identity across retries.</param>
    /// <returns>The ids already stored, with nothing changed; empty when the codes were added.</returns>
    [Alias("add-range")]
    Task<long[]> AddRangeAsync(long[] ids, ulong[] words, WriteOperation operation);

    /// <summary>Removes an id; persisted before the call returns.</summary>
    /// <param name="id">The id.</param>
    /// <param name="operation">The write's identity across retries.</param>
    [Alias("remove")]
    Task<bool> RemoveAsync(long id, WriteOperation operation);

    /// <summary>This shard's top-k, ordered by (distance, id).</summary>
    [ReadOnly]
    [Alias("search")]
    Task<Neighbor[]> SearchAsync(BinaryCode query, int k);

    /// <summary>This shard's top-k of every query (packed query words, row after row).</summary>
    [ReadOnly]
    [Alias("search-batch")]
    Task<ShardHits> SearchBatchAsync(ulong[] queryWords, int k);

    /// <summary>This shard's codes within a distance, ordered by (distance, id).</summary>
    [ReadOnly]
    [Alias("search-radius")]
    Task<Neighbor[]> SearchRadiusAsync(BinaryCode query, int maxDistance);

    /// <summary>Which of <paramref name="ids"/> this shard holds.</summary>
    [ReadOnly]
    [Alias("present")]
    Task<long[]> PresentAsync(long[] ids);

    /// <summary>The stored code of an id, or null.</summary>
    [ReadOnly]
    [Alias("get-code")]
    Task<BinaryCode?> GetCodeAsync(long id);

    /// <summary>Counts and storage facts of this shard.</summary>
    [ReadOnly]
    [Alias("info")]
    Task<ShardInfo> GetInfoAsync();

    /// <summary>Folds the log into a new snapshot now.</summary>
    [Alias("snapshot")]
    Task SnapshotAsync();
}
