using Dsh.Hashing;
using Dsh.Orleans.Hosting;
using Dsh.Orleans.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using Orleans.Storage;

namespace Dsh.Orleans.Grains;

/// <summary>
/// A shard: an in-memory <see cref="HammingIndex"/> restored from grain storage on activation (snapshot, then the
/// log replayed) and changed only through <see cref="ApplyAndPersistAsync"/>, which writes the change to storage
/// before the call returns. Searches are read-only requests, run on the thread pool and interleave with each other;
/// a change waits for running searches and holds new ones back, so a search never sees a change that is not stored.
/// </summary>
// Hash-based placement spreads the shards of an index over the silos by grain id, even when they are all created at once.
[HashBasedPlacement]
// A shard holds its whole index in memory and restores it from storage on activation: never collect it for idleness.
[KeepAlive]
internal sealed partial class DshShardGrain(IOptions<DshIndexSiloOptions> options, ILogger<DshShardGrain> logger) : Grain, IDshShardGrain
{
    /// <summary>The state name of the shard state (identity, snapshot reference, log) in grain storage.</summary>
    internal const string StateName = "dsh-shard";

    private readonly DshIndexSiloOptions _options = options.Value;
    private readonly ILogger _logger = logger;
    private readonly GrainState<ShardState> _state = new(new ShardState());
    private IGrainStorage _storage = null!;
    private ShardSnapshots _snapshots = null!;
    private HammingIndex? _index;
    private DateTime _activatedUtc;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _activatedUtc = DateTime.UtcNow;
        _storage = GrainStorageLookup.Find(ServiceProvider, _options.StorageName);
        _snapshots = new ShardSnapshots(_storage, this.GetGrainId(), _options.SnapshotChunkBytes);
        await _storage.ReadStateAsync(StateName, this.GetGrainId(), _state);
        List<long> recent = S.RecentOperations;
        if (recent.Count > _options.RememberedOperations)
        {
            recent.RemoveRange(0, recent.Count - _options.RememberedOperations); // the option was lowered since
        }

        if (S.Bits > 0)
        {
            _index = await RestoreAsync();
            LogRestored(this.GetPrimaryKeyString(), _index.Count, S.LogOperations.Count);
        }
    }

    /// <inheritdoc />
    public async Task InitializeAsync(int codeLength, int shardIndex, int shardCount)
    {
        ShardState s = S;
        if (s.Bits != 0)
        {
            if (s.Bits != codeLength || s.ShardIndex != shardIndex || s.ShardCount != shardCount)
            {
                throw new InvalidOperationException(
                    $"Shard {this.GetPrimaryKeyString()} exists as shard {s.ShardIndex} of {s.ShardCount} with {s.Bits}-bit codes, not shard {shardIndex} of {shardCount} with {codeLength}-bit codes.");
            }

            return;
        }

        var index = new HammingIndex(codeLength);
        s.Bits = codeLength;
        s.ShardIndex = shardIndex;
        s.ShardCount = shardCount;
        try
        {
            await _storage.WriteStateAsync(StateName, this.GetGrainId(), _state);
        }
        catch
        {
            s.Bits = 0;
            DeactivateOnIdle();
            throw;
        }

        _index = index;
    }

    /// <inheritdoc />
    public async Task<bool> AddAsync(long id, BinaryCode code, WriteOperation operation)
    {
        HammingIndex index = Index;
        if (Recall(operation))
        {
            return true; // stored by an earlier attempt whose answer was lost
        }

        if (code is not null && index.TryGetCode(id, out BinaryCode? stored))
        {
            // A retry whose record was already forgotten: the same code means the first attempt was stored.
            return operation.IsRetry && stored.Equals(code);
        }

        index.Add(id, code!);
        await ApplyAndPersistAsync(
            operation,
            log =>
            {
                log.LogOperations.Add(LogOperation.Add);
                log.LogIds.Add(id);
                log.LogWords.AddRange(code!.Words);
            },
            () => index.Remove(id));
        return true;
    }

    /// <inheritdoc />
    public async Task<long[]> AddRangeAsync(long[] ids, ulong[] words, WriteOperation operation)
    {
        HammingIndex index = Index;
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(words);
        if (Recall(operation))
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
        await ApplyAndPersistAsync(
            operation,
            log =>
            {
                for (int i = 0; i < ids.Length; i++)
                {
                    log.LogOperations.Add(LogOperation.Add);
                    log.LogIds.Add(ids[i]);
                }

                log.LogWords.AddRange(words);
            },
            () =>
            {
                foreach (long id in ids)
                {
                    index.Remove(id);
                }
            },
            ids.Length);
        return Array.Empty<long>();
    }

    /// <inheritdoc />
    public async Task<bool> RemoveAsync(long id, WriteOperation operation)
    {
        HammingIndex index = Index;
        if (Recall(operation))
        {
            return true; // stored by an earlier attempt whose answer was lost
        }

        if (!index.TryGetCode(id, out BinaryCode? removed))
        {
            return false;
        }

        index.Remove(id);
        await ApplyAndPersistAsync(
            operation,
            log =>
            {
                log.LogOperations.Add(LogOperation.Remove);
                log.LogIds.Add(id);
            },
            () => index.Add(id, removed));
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
        ShardState s = S;
        return Task.FromResult(new ShardInfo
        {
            ShardIndex = s.ShardIndex,
            CodeLength = s.Bits,
            Count = index.Count,
            LogEntries = s.LogOperations.Count,
            SnapshotBytes = s.Snapshot?.Bytes ?? 0,
            Changes = s.Changes,
            Silo = RuntimeIdentity,
            ActivatedUtc = _activatedUtc,
        });
    }

    /// <inheritdoc />
    public async Task SnapshotAsync()
    {
        _ = Index;
        await WriteSnapshotAsync();
    }

    /// <summary>The shard state (never null once read).</summary>
    private ShardState S => _state.State ??= new ShardState();

    /// <summary>The index, or an explanation if this shard was never created.</summary>
    private HammingIndex Index => _index ?? throw new InvalidOperationException(
        $"Shard {this.GetPrimaryKeyString()} has not been created (nothing in grain storage '{_options.StorageName}'); create the index with DshClusterIndex.CreateAsync first.");

    /// <summary>
    /// Persists a change already applied to the in-memory index: appends it to the log and writes the shard state, or
    /// folds everything into a new snapshot when the log would grow past <see cref="DshIndexSiloOptions.MaxLogEntries"/>.
    /// If storage fails, the change is undone in memory, the activation is dropped (the next one reads what storage
    /// holds) and the exception goes to the caller, who was not told the change succeeded. The operation id is stored
    /// in the same write (<see cref="ShardState.RecentOperations"/>).
    /// </summary>
    private async Task ApplyAndPersistAsync(WriteOperation operation, Action<ShardState> appendToLog, Action undo, int entries = 1)
    {
        ShardState s = S;
        int ops = s.LogOperations.Count, ids = s.LogIds.Count, words = s.LogWords.Count;
        long? forgotten = Remember(operation);
        try
        {
            s.Changes += entries;
            if (ops + entries > _options.MaxLogEntries)
            {
                await WriteSnapshotAsync();
            }
            else
            {
                appendToLog(s);
                await _storage.WriteStateAsync(StateName, this.GetGrainId(), _state);
            }
        }
        catch
        {
            s.Changes -= entries;
            if (s.LogOperations.Count > ops)
            {
                s.LogOperations.RemoveRange(ops, s.LogOperations.Count - ops);
                s.LogIds.RemoveRange(ids, s.LogIds.Count - ids);
                s.LogWords.RemoveRange(words, s.LogWords.Count - words);
            }

            Forget(operation, forgotten);
            undo();
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>Whether this operation's change was stored, by an earlier attempt (only stored changes are remembered).</summary>
    private bool Recall(WriteOperation operation) => S.RecentOperations.LastIndexOf(operation.Id) >= 0;

    /// <summary>Records a change's operation (stored with the change); returns the record it pushed out, if any.</summary>
    private long? Remember(WriteOperation operation)
    {
        List<long> recent = S.RecentOperations;
        if (_options.RememberedOperations == 0)
        {
            return null;
        }

        recent.Add(operation.Id);
        if (recent.Count <= _options.RememberedOperations)
        {
            return null;
        }

        long oldest = recent[0];
        recent.RemoveAt(0);
        return oldest;
    }

    /// <summary>Undoes <see cref="Remember"/> after a failed write.</summary>
    private void Forget(WriteOperation operation, long? pushedOut)
    {
        List<long> recent = S.RecentOperations;
        if (recent.Count == 0 || recent[^1] != operation.Id)
        {
            return;
        }

        recent.RemoveAt(recent.Count - 1);
        if (pushedOut is { } old)
        {
            recent.Insert(0, old);
        }
    }

    /// <summary>
    /// Writes the whole index as a new snapshot, then points the shard state at it with an empty log (one storage
    /// write, so a crash leaves either the old snapshot and log or the new snapshot), then deletes the old snapshot.
    /// </summary>
    private async Task WriteSnapshotAsync()
    {
        HammingIndex index = Index;
        byte[] file;
        using (var stream = new MemoryStream())
        {
            index.Save(stream);
            file = stream.ToArray();
        }

        ShardState s = S;
        SnapshotReference created = await _snapshots.WriteAsync(file, index.Count);
        SnapshotReference? previous = s.Snapshot;
        (List<LogOperation> ops, List<long> ids, List<ulong> words) = (s.LogOperations, s.LogIds, s.LogWords);
        s.Snapshot = created;
        (s.LogOperations, s.LogIds, s.LogWords) = (new(), new(), new());
        try
        {
            await _storage.WriteStateAsync(StateName, this.GetGrainId(), _state);
        }
        catch (Exception e)
        {
            s.Snapshot = previous;
            (s.LogOperations, s.LogIds, s.LogWords) = (ops, ids, words);
            DeactivateOnIdle(); // the next activation reads which state storage really holds
            if (e is InconsistentStateException)
            {
                // Refused on its ETag, so certainly not written: the new snapshot is unreferenced.
                await TryDeleteAsync(created);
            }

            // Otherwise the write may have landed and the stored state may point at the new snapshot: keep it.
            throw;
        }

        if (previous is not null)
        {
            await TryDeleteAsync(previous);
        }

        LogSnapshot(this.GetPrimaryKeyString(), index.Count, file.Length, created.Chunks);
    }

    /// <summary>Rebuilds the index from storage: the snapshot (checked format), then the log in order.</summary>
    private async Task<HammingIndex> RestoreAsync()
    {
        ShardState s = S;
        HammingIndex index;
        if (s.Snapshot is { } snapshot)
        {
            byte[] file = await _snapshots.ReadAsync(snapshot);
            using var stream = new MemoryStream(file, writable: false);
            index = HammingIndex.Load(stream);
            if (index.CodeLength != s.Bits || index.Count != snapshot.Count)
            {
                throw new InvalidDataException(
                    $"Shard {this.GetPrimaryKeyString()}: snapshot {snapshot.Id} holds {index.Count} {index.CodeLength}-bit codes, the shard state expects {snapshot.Count} {s.Bits}-bit codes.");
            }
        }
        else
        {
            index = new HammingIndex(s.Bits);
        }

        int wordsPerCode = BinaryCode.WordsFor(s.Bits);
        int word = 0;
        for (int i = 0; i < s.LogOperations.Count; i++)
        {
            long id = s.LogIds[i];
            switch (s.LogOperations[i])
            {
                case LogOperation.Add:
                    ulong[] codeWords = new ulong[wordsPerCode];
                    s.LogWords.CopyTo(word, codeWords, 0, wordsPerCode);
                    word += wordsPerCode;
                    index.Add(id, BinaryCode.FromWords(codeWords, s.Bits));
                    break;
                case LogOperation.Remove:
                    index.Remove(id);
                    break;
                default:
                    throw new InvalidDataException($"Shard {this.GetPrimaryKeyString()}: log entry {i} has unknown operation {(int)s.LogOperations[i]}.");
            }
        }

        return index;
    }

    private async Task TryDeleteAsync(SnapshotReference snapshot)
    {
        try
        {
            await _snapshots.DeleteAsync(snapshot);
        }
        catch (Exception e)
        {
            LogDeleteFailed(e, this.GetPrimaryKeyString(), snapshot.Id);
        }
    }

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Dsh shard {Shard} snapshot: {Count} codes, {Bytes} bytes in {Chunks} chunks")]
    private partial void LogSnapshot(string shard, int count, int bytes, int chunks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dsh shard {Shard}: could not delete old snapshot {Snapshot}; it is unused and can be removed from storage")]
    private partial void LogDeleteFailed(Exception exception, string shard, string snapshot);
}
