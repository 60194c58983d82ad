using Dsh.Hashing;
using Dsh.Orleans.Grains;
using Dsh.Orleans.Routing;
using Dsh.Orleans.State;

namespace Dsh.Orleans.Client;

/// <summary>
/// A Dsh index spread over the shard grains of an Orleans cluster, with the shape of the local
/// <see cref="IHammingIndex"/>: ids go to the shard a stable hash of the id names (<see cref="ShardRouter"/>); a search
/// asks every shard in parallel and merges their top-k by (distance, id), so it returns exactly what one
/// <see cref="HammingIndex"/> over all codes returns. A change returns once its shard has written it to grain storage.
/// </summary>
/// <remarks>
/// <para>Bad arguments throw the same exceptions, with the same messages and parameter names, as
/// <see cref="HammingIndex"/>; they are checked here before anything is sent.</para>
/// <para>Failures of the cluster itself (a silo stopped or killed, a connection lost) are retried for
/// <see cref="DshClusterIndexOptions.RetryTimeout"/> while Orleans reactivates the shard on a live silo from storage.
/// Each write carries an operation id, the same on every retry; the shard stores the ids of its recent changes with
/// the changes, so a write whose answer was lost is answered, not applied again, and a late retry cannot undo another
/// writer's acknowledged change (docs/scale-out.md). A call that gave up or was cancelled may still have been applied.</para>
/// <para><see cref="AddRangeAsync(IReadOnlyList{long}, BinaryCodeSet, CancellationToken)"/> checks every id against
/// every shard before it writes, and each shard stores its part all or none; a concurrent writer adding one of the
/// same ids between the check and the write makes that shard's part fail while other shards' parts stay stored; so
/// does a shard that stays unreachable beyond the retry timeout.</para>
/// <para>Instances are cheap, immutable and thread-safe; open one per index and share it.</para>
/// </remarks>
public sealed class DshClusterIndex
{
    private readonly IDshShardGrain[] _shards;
    private readonly DshClusterIndexOptions _options;
    private readonly HammingIndex _probe;

    private DshClusterIndex(IGrainFactory grains, string name, IndexMetadata metadata, DshClusterIndexOptions options)
    {
        Name = name;
        CodeLength = metadata.Bits;
        _options = options;
        _probe = new HammingIndex(metadata.Bits);
        _shards = Enumerable.Range(0, metadata.ShardCount)
            .Select(i => grains.GetGrain<IDshShardGrain>(DshIndexGrain.ShardKey(name, i)))
            .ToArray();
    }

    /// <summary>The index name.</summary>
    public string Name { get; }

    /// <summary>The code length every stored and query code must have.</summary>
    public int CodeLength { get; }

    /// <summary>The shard count, fixed at creation.</summary>
    public int ShardCount => _shards.Length;

    /// <summary>
    /// Creates an index with its shards, or opens it if it already exists with the same code length and shard count.
    /// </summary>
    /// <param name="grains">The cluster client (or a grain's <c>GrainFactory</c>).</param>
    /// <param name="name">1–100 characters: letters, digits, '.', '_' and '-'.</param>
    /// <param name="codeLength">The code length, 1 to <see cref="BinaryCode.MaxCodeLength"/>.</param>
    /// <param name="shardCount">The shard count (1–4096); fixed for the index's life.</param>
    /// <param name="options">Retry settings; null for the defaults.</param>
    /// <param name="cancellationToken">Stops retrying.</param>
    /// <exception cref="InvalidOperationException">The index exists with another code length or shard count.</exception>
    public static async Task<DshClusterIndex> CreateAsync(IGrainFactory grains, string name, int codeLength, int shardCount, DshClusterIndexOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grains);
        CheckName(name);
        HammingIndexArguments.CheckCodeLength(codeLength); // the local index's own check of the code length
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shardCount, DshIndexGrain.MaxShards);
        options = (options ?? new DshClusterIndexOptions()).Validated();
        IDshIndexGrain catalogue = grains.GetGrain<IDshIndexGrain>(name);
        IndexMetadata metadata = await TransientFailures.RunAsync(_ => catalogue.CreateAsync(codeLength, shardCount), options, cancellationToken).ConfigureAwait(false);
        return new DshClusterIndex(grains, name, metadata, options);
    }

    /// <summary>Opens an existing index.</summary>
    /// <exception cref="KeyNotFoundException">No index of that name exists.</exception>
    public static async Task<DshClusterIndex> OpenAsync(IGrainFactory grains, string name, DshClusterIndexOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grains);
        CheckName(name);
        options = (options ?? new DshClusterIndexOptions()).Validated();
        IDshIndexGrain catalogue = grains.GetGrain<IDshIndexGrain>(name);
        IndexMetadata? metadata = await TransientFailures.RunAsync(_ => catalogue.GetAsync(), options, cancellationToken).ConfigureAwait(false);
        return metadata is null
            ? throw new KeyNotFoundException($"No Dsh cluster index named '{name}' exists; create it with DshClusterIndex.CreateAsync.")
            : new DshClusterIndex(grains, name, metadata, options);
    }

    /// <summary>The shard that owns <paramref name="id"/>.</summary>
    public int ShardOf(long id) => ShardRouter.ShardOf(id, _shards.Length);

    /// <summary>Stores <paramref name="code"/> under <paramref name="id"/>; returns once it is in grain storage.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="code"/> is null.</exception>
    /// <exception cref="ArgumentException">The code length is wrong, or the id is already stored.</exception>
    public async Task AddAsync(long id, BinaryCode code, CancellationToken cancellationToken = default)
    {
        var probe = new HammingIndex(CodeLength);
        probe.Add(id, code); // the local index's own argument checks and messages
        IDshShardGrain shard = _shards[ShardOf(id)];
        WriteOperation operation = WriteOperation.New();
        if (!await Run(attempt => shard.AddAsync(id, code, operation.Attempt(attempt)), cancellationToken).ConfigureAwait(false))
        {
            probe.Add(id, code); // already stored: the local index's exception, thrown here (Orleans would drop its ParamName)
        }
    }

    /// <summary>Stores many codes; checks every id against every shard first (see the remarks on atomicity).</summary>
    /// <exception cref="ArgumentException">Lengths differ, a code length is wrong, or an id is repeated or already stored.</exception>
    public async Task AddRangeAsync(IReadOnlyList<long> ids, BinaryCodeSet codes, CancellationToken cancellationToken = default)
    {
        // The local index's checks, in its order: the shape first, here, without asking the cluster; then each id in
        // turn against stored ids and earlier ids, on a probe that holds the ids the shards already store.
        var probe = new HammingIndex(CodeLength);
        if (LocalArgumentChecks.HasShapeError(CodeLength, ids, codes))
        {
            probe.AddRange(ids!, codes); // throws the local index's exception
            throw new System.Diagnostics.UnreachableException("AddRange accepted a batch with a shape error.");
        }

        if (ids.Count == 0)
        {
            return;
        }

        long[] present = await PresentAsync(ids, cancellationToken).ConfigureAwait(false);
        var filler = BinaryCode.FromWords(new ulong[BinaryCode.WordsFor(CodeLength)], CodeLength);
        probe.AddRange(present.Select(id => (id, filler)));
        probe.AddRange(ids, codes);

        int wordsPerCode = codes.WordsPerCode;
        ReadOnlySpan<ulong> all = codes.Words;
        var parts = new List<long>[_shards.Length];
        var words = new List<ulong>[_shards.Length];
        for (int i = 0; i < ids.Count; i++)
        {
            int s = ShardOf(ids[i]);
            (parts[s] ??= new()).Add(ids[i]);
            (words[s] ??= new()).AddRange(all.Slice(i * wordsPerCode, wordsPerCode));
        }

        long[][] conflicts = await Task.WhenAll(Enumerable.Range(0, _shards.Length).Where(s => parts[s] is not null).Select(s =>
        {
            long[] shardIds = parts[s].ToArray();
            ulong[] shardWords = words[s].ToArray();
            WriteOperation operation = WriteOperation.New();
            return RunLong(attempt => _shards[s].AddRangeAsync(shardIds, shardWords, operation.Attempt(attempt)), cancellationToken);
        })).ConfigureAwait(false);
        if (conflicts.Any(c => c.Length > 0))
        {
            // Added meanwhile by another writer: the local index's exception for the first such id in batch order.
            var late = new HammingIndex(CodeLength);
            late.AddRange(conflicts.SelectMany(c => c).Select(id => (id, filler)));
            late.AddRange(ids, codes);
        }
    }

    /// <summary>Stores many (id, code) pairs (see <see cref="AddRangeAsync(IReadOnlyList{long}, BinaryCodeSet, CancellationToken)"/>).</summary>
    public Task AddRangeAsync(IEnumerable<(long Id, BinaryCode Code)> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = items.ToList();
        var probe = new HammingIndex(CodeLength);
        probe.AddRange(list.Select((item, i) => (i + 0L, item.Code))); // code checks with the local messages
        return AddRangeAsync(list.Select(item => item.Id).ToArray(), BinaryCodeSet.FromCodes(list.Select(item => item.Code), CodeLength), cancellationToken);
    }

    /// <summary>Removes <paramref name="id"/>; returns once the removal is in grain storage.</summary>
    /// <returns>True if it was stored (also when a retry finds its first attempt's removal stored).</returns>
    public Task<bool> RemoveAsync(long id, CancellationToken cancellationToken = default)
    {
        IDshShardGrain shard = _shards[ShardOf(id)];
        WriteOperation operation = WriteOperation.New();
        return Run(attempt => shard.RemoveAsync(id, operation.Attempt(attempt)), cancellationToken);
    }

    /// <summary>Whether <paramref name="id"/> is stored.</summary>
    public async Task<bool> ContainsAsync(long id, CancellationToken cancellationToken = default) =>
        await GetCodeAsync(id, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>The stored code of <paramref name="id"/>, or null.</summary>
    public Task<BinaryCode?> GetCodeAsync(long id, CancellationToken cancellationToken = default)
    {
        IDshShardGrain shard = _shards[ShardOf(id)];
        return Run(_ => shard.GetCodeAsync(id), cancellationToken);
    }

    /// <summary>The number of stored codes over all shards.</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        (await GetShardInfoAsync(cancellationToken).ConfigureAwait(false)).Sum(s => (long)s.Count);

    /// <summary>What every shard reports about itself, in shard order.</summary>
    public async Task<IReadOnlyList<ShardInfo>> GetShardInfoAsync(CancellationToken cancellationToken = default) =>
        await Task.WhenAll(_shards.Select(s => Run(_ => s.GetInfoAsync(), cancellationToken))).ConfigureAwait(false);

    /// <summary>Makes every shard fold its log into a new snapshot now (e.g. before a planned shutdown).</summary>
    public Task SnapshotAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(_shards.Select(s => RunLong(async _ => { await s.SnapshotAsync().ConfigureAwait(false); return true; }, cancellationToken)));

    /// <summary>The <paramref name="k"/> nearest codes over all shards, ordered by (distance, id).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is null.</exception>
    /// <exception cref="ArgumentException">The code length is wrong.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is not positive.</exception>
    public async Task<IReadOnlyList<Neighbor>> SearchAsync(BinaryCode query, int k, CancellationToken cancellationToken = default)
    {
        _probe.Search(query, k);
        Neighbor[][] parts = await Task.WhenAll(_shards.Select(s => Run(_ => s.SearchAsync(query, k), cancellationToken))).ConfigureAwait(false);
        return TopKMerge.Merge(parts, k);
    }

    /// <summary>The <paramref name="k"/> nearest codes of every query; one result list a query, in query order.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<Neighbor>>> SearchBatchAsync(IReadOnlyList<BinaryCode> queries, int k, CancellationToken cancellationToken = default)
    {
        BinaryCode[] checkedQueries = HammingIndexArguments.CheckSearchBatch(CodeLength, queries, k); // the local index's checks
        ulong[] packed = BinaryCodeSet.FromCodes(checkedQueries, CodeLength).Words.ToArray();
        ShardHits[] parts = await Task.WhenAll(_shards.Select(s => RunLong(_ => s.SearchBatchAsync(packed, k), cancellationToken))).ConfigureAwait(false);
        var results = new IReadOnlyList<Neighbor>[checkedQueries.Length];
        var lists = new IReadOnlyList<Neighbor>[parts.Length];
        for (int q = 0; q < results.Length; q++)
        {
            for (int s = 0; s < parts.Length; s++)
            {
                lists[s] = Slice(parts[s], q);
            }

            results[q] = TopKMerge.Merge(lists, k);
        }

        return results;
    }

    /// <summary>Every code within <paramref name="maxDistance"/> of the query over all shards, ordered by (distance, id).</summary>
    public async Task<IReadOnlyList<Neighbor>> SearchRadiusAsync(BinaryCode query, int maxDistance, CancellationToken cancellationToken = default)
    {
        _probe.SearchRadius(query, maxDistance);
        Neighbor[][] parts = await Task.WhenAll(_shards.Select(s => Run(_ => s.SearchRadiusAsync(query, maxDistance), cancellationToken))).ConfigureAwait(false);
        return TopKMerge.Merge(parts, int.MaxValue);
    }

    private async Task<long[]> PresentAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        var parts = new List<long>?[_shards.Length];
        foreach (long id in ids)
        {
            (parts[ShardOf(id)] ??= new()).Add(id);
        }

        long[][] found = await Task.WhenAll(Enumerable.Range(0, _shards.Length).Where(s => parts[s] is not null).Select(s =>
        {
            long[] shardIds = parts[s]!.Distinct().ToArray();
            return RunLong(_ => _shards[s].PresentAsync(shardIds), cancellationToken);
        })).ConfigureAwait(false);
        return found.SelectMany(f => f).ToArray();
    }

    /// <summary>A short call (one code, one query): each attempt is bounded by <see cref="DshClusterIndexOptions.AttemptTimeout"/>.</summary>
    private Task<T> Run<T>(Func<int, Task<T>> call, CancellationToken cancellationToken) =>
        TransientFailures.RunAsync(call, _options, cancellationToken, _options.AttemptTimeout);

    /// <summary>A call that can legitimately run long (a batch, a snapshot): attempts end only by Orleans' response timeout.</summary>
    private Task<T> RunLong<T>(Func<int, Task<T>> call, CancellationToken cancellationToken) =>
        TransientFailures.RunAsync(call, _options, cancellationToken);

    private static Neighbor[] Slice(ShardHits hits, int query)
    {
        int from = hits.Offsets[query], to = hits.Offsets[query + 1];
        var list = new Neighbor[to - from];
        for (int i = from; i < to; i++)
        {
            list[i - from] = new Neighbor(hits.Ids[i], hits.Distances[i]);
        }

        return list;
    }

    private static void CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is < 1 or > 100 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new ArgumentException($"An index name has 1 to 100 characters, each a letter, a digit, '.', '_' or '-'; got '{name}'.", nameof(name));
        }
    }
}
