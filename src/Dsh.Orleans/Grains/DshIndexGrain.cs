using Dsh.Hashing;
using Dsh.Orleans.Hosting;
using Dsh.Orleans.State;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace Dsh.Orleans.Grains;

/// <summary>The catalogue entry of one index: creates the shards, then records the code length and shard count.</summary>
internal sealed class DshIndexGrain(IOptions<DshIndexSiloOptions> options) : Grain, IDshIndexGrain
{
    /// <summary>The state name of the index metadata in grain storage.</summary>
    internal const string StateName = "dsh-index";

    /// <summary>The most shards an index may have.</summary>
    internal const int MaxShards = 4096;

    private readonly GrainState<IndexMetadata> _state = new(new IndexMetadata());
    private IGrainStorage _storage = null!;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _storage = GrainStorageLookup.Find(ServiceProvider, options.Value.StorageName);
        await _storage.ReadStateAsync(StateName, this.GetGrainId(), _state);
    }

    /// <inheritdoc />
    public async Task<IndexMetadata> CreateAsync(int codeLength, int shardCount)
    {
        HammingIndexArguments.CheckCodeLength(codeLength);
        if (shardCount < 1 || shardCount > MaxShards)
        {
            throw new ArgumentOutOfRangeException(nameof(shardCount), shardCount, $"An index has 1 to {MaxShards} shards; got {shardCount}.");
        }

        string name = this.GetPrimaryKeyString();
        IndexMetadata existing = Metadata;
        if (existing.Bits != 0)
        {
            if (existing.Bits != codeLength || existing.ShardCount != shardCount)
            {
                throw new InvalidOperationException(
                    $"Index '{name}' already exists with {existing.Bits}-bit codes and {existing.ShardCount} shards; it cannot be created again with {codeLength}-bit codes and {shardCount} shards.");
            }

            return existing;
        }

        // Shards first (each creation is idempotent), the catalogue entry last: a crash in between leaves no entry, and
        // creating again finishes the job.
        await Task.WhenAll(Enumerable.Range(0, shardCount).Select(i =>
            GrainFactory.GetGrain<IDshShardGrain>(ShardKey(name, i)).InitializeAsync(codeLength, i, shardCount)));
        var created = new IndexMetadata { Bits = codeLength, ShardCount = shardCount, CreatedUtc = DateTime.UtcNow };
        _state.State = created;
        try
        {
            await _storage.WriteStateAsync(StateName, this.GetGrainId(), _state);
        }
        catch
        {
            _state.State = existing;
            DeactivateOnIdle();
            throw;
        }

        return created;
    }

    /// <inheritdoc />
    public Task<IndexMetadata?> GetAsync() => Task.FromResult(Metadata.Bits == 0 ? null : Metadata);

    /// <summary>The stored metadata (never null once read).</summary>
    private IndexMetadata Metadata => _state.State ??= new IndexMetadata();

    /// <summary>The grain key of shard <paramref name="shard"/> of index <paramref name="name"/>.</summary>
    internal static string ShardKey(string name, int shard) => $"{name}/{shard}";
}
