using Dsh.Hashing;
using Dsh.Orleans.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Placement;

namespace Dsh.Orleans.Grains;

/// <summary>
/// A shard: an in-memory <see cref="HammingIndex"/> restored from grain storage on activation (see
/// <see cref="ShardJournal"/>: the snapshot, then the log replayed) and changed only together with its journal, which
/// writes the change to storage before the call returns. Searches are read-only requests, run on the thread pool and
/// interleave with each other; a change waits for running searches and holds new ones back, so a search never sees a
/// change that is not stored.
/// </summary>
// Hash-based placement spreads the shards of an index over the silos by grain id, even when they are all created at once.
[HashBasedPlacement]
// A shard holds its whole index in memory and restores it from storage on activation: never collect it for idleness.
[KeepAlive]
internal sealed partial class DshShardGrain(IOptions<DshIndexSiloOptions> options, ILogger<DshShardGrain> logger) : Grain, IDshShardGrain
{
    private readonly DshIndexSiloOptions _options = options.Value;
    private readonly ILogger _logger = logger;
    private ShardJournal _journal = null!;
    private HammingIndex? _index;
    private DateTime _activatedUtc;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _activatedUtc = DateTime.UtcNow;
        _journal = new ShardJournal(
            GrainStorageLookup.Find(ServiceProvider, _options.StorageName), this.GetGrainId(), this.GetPrimaryKeyString(), _options, DeactivateOnIdle, _logger);
        await _journal.ReadAsync();
        if (_journal.CodeLength > 0)
        {
            _index = await _journal.RestoreAsync();
            LogRestored(this.GetPrimaryKeyString(), _index.Count, _journal.LogEntries);
        }
    }

    /// <inheritdoc />
    public async Task InitializeAsync(int codeLength, int shardIndex, int shardCount)
    {
        ShardJournal journal = _journal;
        if (journal.CodeLength != 0)
        {
            if (journal.CodeLength != codeLength || journal.ShardIndex != shardIndex || journal.ShardCount != shardCount)
            {
                throw new InvalidOperationException(
                    $"Shard {this.GetPrimaryKeyString()} exists as shard {journal.ShardIndex} of {journal.ShardCount} with {journal.CodeLength}-bit codes, not shard {shardIndex} of {shardCount} with {codeLength}-bit codes.");
            }

            return;
        }

        var index = new HammingIndex(codeLength);
        await journal.CreateAsync(codeLength, shardIndex, shardCount);
        _index = index;
    }

    /// <inheritdoc />
    public async Task<bool> AddAsync(long id, BinaryCode code, WriteOperation operation)
    {
        HammingIndex index = Index;
        if (_journal.Recall(operation))
        {
            return true; // stored by an earlier attempt whose answer was lost
        }

        if (code is not null && index.TryGetCode(id, out BinaryCode? stored))
        {
            // A retry whose record was already forgotten: the same code means the first attempt was stored.
            return operation.IsRetry && stored.Equals(code);
        }

        index.Add(id, code!);
        await _journal.LogAddAsync(index, operation, id, code!, () => index.Remove(id));
        return true;
    }

    /// <inheritdoc />
    public async Task<long[]> AddRangeAsync(long[] ids, ulong[] words, WriteOperation operation)
    {
        HammingIndex index = Index;
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(words);
        if (_journal.Recall(operation))
        {
            return Array.Empty<long>(); // stored by an earlier attempt whose answer was lost
        }

        BinaryCodeSet codes = BinaryCodeSet.FromWords(words, index.CodeLength);
        if (operation.IsRetry && AllStored(index, ids, codes))
        {
            return Array.Empty<long>(); // a retry whose record was already forgotten
        }

        long[] stored = ids.Where(index.Contains).ToArray();
        if (stored.Length > 0)
        {
            return stored;
        }

        index.AddRange(ids, codes);
        await _journal.LogAddRangeAsync(index, operation, ids, words, () =>
        {
            foreach (long id in ids)
            {
                index.Remove(id);
            }
        });
        return Array.Empty<long>();
    }

    /// <inheritdoc />
    public async Task<bool> RemoveAsync(long id, WriteOperation operation)
    {
        HammingIndex index = Index;
        if (_journal.Recall(operation))
        {
            return true; // stored by an earlier attempt whose answer was lost
        }

        if (!index.TryGetCode(id, out BinaryCode? removed))
        {
            return false;
        }

        index.Remove(id);
        await _journal.LogRemoveAsync(index, operation, id, () => index.Add(id, removed));
        return true;
    }

    /// <inheritdoc />
    public Task<Neighbor[]> SearchAsync(BinaryCode query, int k)
    {
        HammingIndex index = Index;
        return Task.Run(() => ToArray(index.Search(query, k)));
    }

    /// <inheritdoc />
    public Task<ShardHits> SearchBatchAsync(ulong[] queryWords, int k)
    {
        HammingIndex index = Index;
        ArgumentNullException.ThrowIfNull(queryWords);
        BinaryCodeSet queries = BinaryCodeSet.FromWords(queryWords, index.CodeLength);
        return Task.Run(() => Pack(index.SearchBatch(queries, k)));
    }

    /// <inheritdoc />
    public Task<Neighbor[]> SearchRadiusAsync(BinaryCode query, int maxDistance)
    {
        HammingIndex index = Index;
        return Task.Run(() => ToArray(index.SearchRadius(query, maxDistance)));
    }

    /// <inheritdoc />
    public Task<long[]> PresentAsync(long[] ids)
    {
        HammingIndex index = Index;
        ArgumentNullException.ThrowIfNull(ids);
        return Task.FromResult(ids.Where(index.Contains).ToArray());
    }

    /// <inheritdoc />
    public Task<BinaryCode?> GetCodeAsync(long id) =>
        Task.FromResult(Index.TryGetCode(id, out BinaryCode? code) ? code : null);

    /// <inheritdoc />
    public Task<ShardInfo> GetInfoAsync()
    {
        HammingIndex index = Index;
        ShardJournal journal = _journal;
        return Task.FromResult(new ShardInfo
        {
            ShardIndex = journal.ShardIndex,
            CodeLength = journal.CodeLength,
            Count = index.Count,
            LogEntries = journal.LogEntries,
            SnapshotBytes = journal.SnapshotBytes,
            Changes = journal.Changes,
            Silo = RuntimeIdentity,
            ActivatedUtc = _activatedUtc,
        });
    }

    /// <inheritdoc />
    public async Task SnapshotAsync() => await _journal.SnapshotAsync(Index);

    /// <summary>The index, or an explanation if this shard was never created.</summary>
    private HammingIndex Index => _index ?? throw new InvalidOperationException(
        $"Shard {this.GetPrimaryKeyString()} has not been created (nothing in grain storage '{_options.StorageName}'); create the index with DshClusterIndex.CreateAsync first.");

    private static bool AllStored(HammingIndex index, long[] ids, BinaryCodeSet codes)
    {
        if (ids.Length != codes.Count)
        {
            return false;
        }

        for (int i = 0; i < ids.Length; i++)
        {
            if (!index.TryGetCode(ids[i], out BinaryCode? stored) || !stored.Words.SequenceEqual(codes.GetWords(i)))
            {
                return false;
            }
        }

        return true;
    }

    private static Neighbor[] ToArray(IReadOnlyList<Neighbor> list) => list as Neighbor[] ?? list.ToArray();

    private static ShardHits Pack(IReadOnlyList<IReadOnlyList<Neighbor>> results)
    {
        var offsets = new int[results.Count + 1];
        for (int q = 0; q < results.Count; q++)
        {
            offsets[q + 1] = offsets[q] + results[q].Count;
        }

        var ids = new long[offsets[^1]];
        var distances = new int[offsets[^1]];
        for (int q = 0; q < results.Count; q++)
        {
            int at = offsets[q];
            foreach (Neighbor n in results[q])
            {
                ids[at] = n.Id;
                distances[at++] = n.Distance;
            }
        }

        return new ShardHits { Ids = ids, Distances = distances, Offsets = offsets };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dsh shard {Shard} restored: {Count} codes, {LogEntries} log entries replayed")]
    private partial void LogRestored(string shard, int count, int logEntries);
}
