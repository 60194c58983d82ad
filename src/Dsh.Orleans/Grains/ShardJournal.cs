using Dsh.Hashing;
using Dsh.Orleans.Hosting;
using Dsh.Orleans.State;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Dsh.Orleans.Grains;

/// <summary>
/// A shard's durable record in grain storage, under one key: its identity, the snapshot it starts from, the log of the
/// changes made since, and the ids of its recent writes. A change is written here before it is acknowledged, so an
/// index rebuilt by <see cref="RestoreAsync"/> holds every acknowledged change. When the log would grow past
/// <see cref="DshIndexSiloOptions.MaxLogEntries"/> the whole index is folded into a new snapshot instead.
/// </summary>
/// <remarks>
/// When storage fails, the record in memory is put back as it was, <c>dropActivation</c> is called (the next
/// activation reads what storage really holds) and the exception goes to the caller. Not thread-safe: the grain's
/// writes, which are not interleaved, are its only callers.
/// </remarks>
/// <param name="storage">The grain storage.</param>
/// <param name="grainId">The shard grain's id, under which everything is stored.</param>
/// <param name="shard">The shard's key, for messages.</param>
/// <param name="options">The silo options (log length, remembered writes, chunk size).</param>
/// <param name="dropActivation">Called when storage fails, so that the next activation reads what storage holds.</param>
/// <param name="logger">The shard grain's logger.</param>
internal sealed partial class ShardJournal(IGrainStorage storage, GrainId grainId, string shard, DshIndexSiloOptions options, Action dropActivation, ILogger logger)
{
    /// <summary>The state name of the shard state (identity, snapshot reference, log) in grain storage.</summary>
    internal const string StateName = "dsh-shard";

    private readonly GrainState<ShardState> _state = new(new ShardState());
    private readonly ShardSnapshots _snapshots = new(storage, grainId, shard, options.SnapshotChunkBytes);

    /// <summary>The code length; 0 while the shard has not been created.</summary>
    public int CodeLength => S.Bits;

    /// <summary>This shard's number.</summary>
    public int ShardIndex => S.ShardIndex;

    /// <summary>The index's shard count.</summary>
    public int ShardCount => S.ShardCount;

    /// <summary>Changes in the log since the last snapshot.</summary>
    public int LogEntries => S.LogOperations.Count;

    /// <summary>Bytes of the last snapshot (0 before the first).</summary>
    public long SnapshotBytes => S.Snapshot?.Bytes ?? 0;

    /// <summary>Changes accepted since creation.</summary>
    public long Changes => S.Changes;

    /// <summary>The shard state (never null once read).</summary>
    private ShardState S => _state.State ??= new ShardState();

    /// <summary>Reads the record from storage (on activation).</summary>
    public async Task ReadAsync()
    {
        await storage.ReadStateAsync(StateName, grainId, _state);
        List<long> recent = S.RecentOperations;
        if (recent.Count > options.RememberedOperations)
        {
            recent.RemoveRange(0, recent.Count - options.RememberedOperations); // the option was lowered since
        }
    }

    /// <summary>Records the shard's identity (a new shard: <see cref="CodeLength"/> is 0).</summary>
    public async Task CreateAsync(int codeLength, int shardIndex, int shardCount)
    {
        ShardState s = S;
        s.Bits = codeLength;
        s.ShardIndex = shardIndex;
        s.ShardCount = shardCount;
        try
        {
            await storage.WriteStateAsync(StateName, grainId, _state);
        }
        catch
        {
            s.Bits = 0;
            dropActivation();
            throw;
        }
    }

    /// <summary>Whether this operation's change was stored, by an earlier attempt (only stored changes are remembered).</summary>
    public bool Recall(WriteOperation operation) => S.RecentOperations.LastIndexOf(operation.Id) >= 0;

    /// <summary>Persists the add of <paramref name="id"/>, already applied to <paramref name="index"/>; <paramref name="undo"/> takes it back if storage fails.</summary>
    public Task LogAddAsync(HammingIndex index, WriteOperation operation, long id, BinaryCode code, Action undo) =>
        AppendAsync(index, operation, log =>
        {
            Entry(log, LogOperation.Add, id);
            log.LogWords.AddRange(code.Words);
        }, undo);

    /// <summary>Persists the adds of <paramref name="ids"/> (their packed <paramref name="words"/>), already applied to <paramref name="index"/>.</summary>
    public Task LogAddRangeAsync(HammingIndex index, WriteOperation operation, long[] ids, ulong[] words, Action undo) =>
        AppendAsync(index, operation, log =>
        {
            foreach (long id in ids)
            {
                Entry(log, LogOperation.Add, id);
            }

            log.LogWords.AddRange(words);
        }, undo, ids.Length);

    /// <summary>Persists the removal of <paramref name="id"/>, already applied to <paramref name="index"/>.</summary>
    public Task LogRemoveAsync(HammingIndex index, WriteOperation operation, long id, Action undo) =>
        AppendAsync(index, operation, log => Entry(log, LogOperation.Remove, id), undo);

    /// <summary>
    /// Writes the whole index as a new snapshot, then points the shard state at it with an empty log (one storage
    /// write, so a crash leaves either the old snapshot and log or the new snapshot), then deletes the old snapshot.
    /// </summary>
    public async Task SnapshotAsync(HammingIndex index)
    {
        ShardState s = S;
        SnapshotReference created = await _snapshots.WriteAsync(index);
        SnapshotReference? previous = s.Snapshot;
        (List<LogOperation> ops, List<long> ids, List<ulong> words) = (s.LogOperations, s.LogIds, s.LogWords);
        s.Snapshot = created;
        (s.LogOperations, s.LogIds, s.LogWords) = (new(), new(), new());
        try
        {
            await storage.WriteStateAsync(StateName, grainId, _state);
        }
        catch (Exception e)
        {
            s.Snapshot = previous;
            (s.LogOperations, s.LogIds, s.LogWords) = (ops, ids, words);
            dropActivation(); // the next activation reads which state storage really holds
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

        LogSnapshot(logger, shard, index.Count, created.Bytes, created.Chunks);
    }

    /// <summary>Rebuilds the index from storage: the snapshot (checked format), then the log in order.</summary>
    public async Task<HammingIndex> RestoreAsync()
    {
        ShardState s = S;
        HammingIndex index = s.Snapshot is { } snapshot
            ? await _snapshots.ReadAsync(snapshot, s.Bits)
            : new HammingIndex(s.Bits);
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
                    throw new InvalidDataException($"Shard {shard}: log entry {i} has unknown operation {(int)s.LogOperations[i]}.");
            }
        }

        return index;
    }

    /// <summary>
    /// Persists a change already applied to the in-memory index: appends it to the log and writes the shard state, or
    /// folds everything into a new snapshot when the log would grow past <see cref="DshIndexSiloOptions.MaxLogEntries"/>.
    /// If storage fails, the change is undone in memory, the activation is dropped (the next one reads what storage
    /// holds) and the exception goes to the caller, who was not told the change succeeded. The operation id is stored
    /// in the same write (<see cref="ShardState.RecentOperations"/>).
    /// </summary>
    private async Task AppendAsync(HammingIndex index, WriteOperation operation, Action<ShardState> appendToLog, Action undo, int entries = 1)
    {
        ShardState s = S;
        int ops = s.LogOperations.Count, ids = s.LogIds.Count, words = s.LogWords.Count;
        long? forgotten = Remember(operation);
        try
        {
            s.Changes += entries;
            if (ops + entries > options.MaxLogEntries)
            {
                await SnapshotAsync(index);
            }
            else
            {
                appendToLog(s);
                await storage.WriteStateAsync(StateName, grainId, _state);
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
            dropActivation();
            throw;
        }
    }

    /// <summary>Appends one entry to the log (an add's code words go to <see cref="ShardState.LogWords"/> separately).</summary>
    private static void Entry(ShardState log, LogOperation operation, long id)
    {
        log.LogOperations.Add(operation);
        log.LogIds.Add(id);
    }

    /// <summary>Records a change's operation (stored with the change); returns the record it pushed out, if any.</summary>
    private long? Remember(WriteOperation operation)
    {
        List<long> recent = S.RecentOperations;
        if (options.RememberedOperations == 0)
        {
            return null;
        }

        recent.Add(operation.Id);
        if (recent.Count <= options.RememberedOperations)
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

    private async Task TryDeleteAsync(SnapshotReference snapshot)
    {
        try
        {
            await _snapshots.DeleteAsync(snapshot);
        }
        catch (Exception e)
        {
            LogDeleteFailed(logger, e, shard, snapshot.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dsh shard {Shard} snapshot: {Count} codes, {Bytes} bytes in {Chunks} chunks")]
    private static partial void LogSnapshot(ILogger logger, string shard, int count, long bytes, int chunks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dsh shard {Shard}: could not delete old snapshot {Snapshot}; it is unused and can be removed from storage")]
    private static partial void LogDeleteFailed(ILogger logger, Exception exception, string shard, string snapshot);
}
