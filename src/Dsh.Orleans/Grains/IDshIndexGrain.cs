using Dsh.Orleans.State;
using Orleans.Concurrency;

namespace Dsh.Orleans.Grains;

/// <summary>The catalogue entry of one cluster index, keyed by its name: the code length and the shard count.</summary>
[Alias("dsh.IDshIndexGrain")]
public interface IDshIndexGrain : IGrainWithStringKey
{
    /// <summary>Creates the index and its shards, or returns the existing one if it has the same code length and shard count.</summary>
    /// <exception cref="InvalidOperationException">The index exists with another code length or shard count.</exception>
    [Alias("create")]
    Task<IndexMetadata> CreateAsync(int codeLength, int shardCount);

    /// <summary>The index's metadata, or null if it does not exist.</summary>
    [ReadOnly]
    [Alias("get")]
    Task<IndexMetadata?> GetAsync();
}
