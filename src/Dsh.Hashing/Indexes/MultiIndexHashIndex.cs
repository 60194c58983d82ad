using Dsh.Hashing.Indexes.Mih;
using Dsh.Hashing.Indexes;
using Dsh.Hashing.Internal;
using Dsh.Hashing.Kernels;
using Dsh.Hashing.Persistence;
using Dsh.Hashing.Search;

namespace Dsh.Hashing;

/// <summary>
/// Exact Hamming search in sub-linear time by multi-index hashing (Norouzi, Punjani and Fleet, CVPR 2012):
/// codes split into m substrings, one hash table a substring, and a search probes the tables at growing
/// substring radius until the answer is proven. Results are identical to <see cref="HammingIndex"/>.
/// </summary>
/// <remarks>
/// <para>Fast when near neighbours are near, as with learned codes (clustered); on uniform random codes,
/// where the k-th neighbour is far away, a search gives way to a full SIMD scan before probing would cost
/// more (the same scan as <see cref="HammingIndex"/>, bit-sliced where the CPU allows): on 1M uniform random
/// codes it measured 1.04× (128 bits) to 1.14× (64 bits) the time of <see cref="HammingIndex"/>, on clustered codes 0.15–0.18×.</para>
/// <para>Tables are compact (grouped row numbers, direct or sorted addressing, about 4 bytes a code a table
/// plus the addressing), take recent adds in a small dynamic part, and are rebuilt inside a write once the
/// changes since the last build exceed <c>max(1024, Count / 8)</c>.</para>
/// <para>Ids are unique, and searches may run concurrently with each other and with writes, exactly as for
/// <see cref="HammingIndex"/> (see <see cref="IHammingIndex"/>).</para>
/// </remarks>
public sealed class MultiIndexHashIndex : IHammingIndex
{
    internal const string FileKind = "MIHX";

    private readonly CodeStore _store;
    private readonly LockedCodeStore _rows;

    /// <summary>The full scan a search falls back to (bit-sliced where the CPU allows, like <see cref="HammingIndex"/>).</summary>
    private readonly FullScan _scan;

    /// <summary>The substring count given at construction, or 0 when it is chosen automatically.</summary>
    private readonly int _fixedSubstringCount;

    private MihTables _tables;

    /// <summary>The code count when the automatic substring count was last chosen.</summary>
    private int _chosenAt;

    /// <summary>Creates an empty index of <paramref name="bits"/>-bit codes whose substring count follows the code count (<see cref="RecommendedSubstringCount"/>).</summary>
    /// <param name="bits">The code length, 1 to <see cref="BinaryCode.MaxCodeLength"/> (named <c>bits</c>, as in the first release: code that passes it by name keeps compiling).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is out of range.</exception>
    public MultiIndexHashIndex(int bits)
        : this(new CodeStore(IndexArguments.ValidCodeLength(bits)), 0)
    {
    }

    /// <summary>Creates an empty index of <paramref name="bits"/>-bit codes split into a fixed number of substrings.</summary>
    /// <param name="bits">The code length, 1 to <see cref="BinaryCode.MaxCodeLength"/> (named <c>bits</c>, as in the first release: code that passes it by name keeps compiling).</param>
    /// <param name="substringCount">The number of substrings m, <c>ceil(bits / 64)</c> to <paramref name="bits"/> (substrings are at most 64 bits long).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> or <paramref name="substringCount"/> is out of range.</exception>
    public MultiIndexHashIndex(int bits, int substringCount)
        : this(new CodeStore(IndexArguments.ValidCodeLength(bits)), ValidSubstringCount(bits, substringCount))
    {
    }

    private MultiIndexHashIndex(CodeStore store, int fixedSubstringCount)
    {
        _store = store;
        _rows = new LockedCodeStore(store);
        _scan = new FullScan(store);
        Cost = _scan.Kernel == HammingKernelKind.BitSliced ? MihCostModel.BitSlicedScan : MihCostModel.Default;
        _fixedSubstringCount = fixedSubstringCount;
        _chosenAt = store.Count;
        int m = fixedSubstringCount != 0 ? fixedSubstringCount : RecommendedSubstringCount(store.CodeLength, store.Count);
        _tables = new MihTables(new SubstringLayout(store.CodeLength, m), store);
    }

    /// <inheritdoc />
    public int CodeLength => _store.CodeLength;

    /// <summary>The code length under its first name; use <see cref="CodeLength"/>.</summary>
    [Obsolete("Use CodeLength.")]
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public int Bits => CodeLength;

    /// <inheritdoc />
    public int Count => _rows.Count;

    /// <summary>
    /// The number of substrings m the codes are split into: the value given at construction, or else
    /// <see cref="RecommendedSubstringCount"/> for the code count, revisited (with a rebuild of the tables)
    /// whenever the count has doubled or halved since it was last chosen.
    /// </summary>
    public int SubstringCount
    {
        get
        {
            using (_rows.Read())
            {
                return _tables.Layout.Count;
            }
        }
    }

    /// <summary>The table state, read under the lock (tests).</summary>
    internal (int Builds, int Pending, int BuiltRows, long Bytes) TableState
    {
        get
        {
            using (_rows.Read())
            {
                return (_tables.Builds, _tables.Pending, _tables.BuiltRows, _tables.Bytes);
            }
        }
    }

    /// <summary>When probing gives way to a scan; <see cref="MihCostModel.NeverScan"/> forces probing (tests).</summary>
    internal MihCostModel Cost { get; set; }

    /// <summary>
    /// The substring count multi-index hashing works best with for <paramref name="count"/> codes of
    /// <paramref name="codeLength"/> bits: about <c>log2(count)</c> bits a substring, so each table has about as many
    /// possible values as codes. Exactly <c>round(codeLength / log2(max(count, 1024)))</c> (halves away from zero),
    /// clamped to <c>ceil(codeLength / 64)</c> .. <paramref name="codeLength"/>.
    /// </summary>
    /// <param name="codeLength">The code length, 1 to <see cref="BinaryCode.MaxCodeLength"/>.</param>
    /// <param name="count">The number of codes, 0 or more.</param>
    /// <returns>The substring count m.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="codeLength"/> or <paramref name="count"/> is out of range.</exception>
    public static int RecommendedSubstringCount(int codeLength, long count)
    {
        Guard.CodeLengthInRange(codeLength);
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"'{nameof(count)}' must not be negative; got {count}.");
        }

        double ideal = codeLength / Math.Log2(Math.Max(count, 1024));
        int m = (int)Math.Round(ideal, MidpointRounding.AwayFromZero);
        return Math.Clamp(m, MinSubstringCount(codeLength), codeLength);
    }

    /// <summary>Reads an index written by <see cref="Save(Stream)"/>.</summary>
    /// <param name="stream">The stream, positioned at the index; left open and positioned after it.</param>
    /// <returns>The index, with its tables rebuilt.</returns>
    /// <exception cref="InvalidDataException">The data is not a complete, intact Dsh multi-index hashing index.</exception>
    public static MultiIndexHashIndex Load(Stream stream)
    {
        CodeStore store = IndexFile.Read(stream, FileKind, out int parameter);
        if (parameter != 0 && (parameter < MinSubstringCount(store.CodeLength) || parameter > store.CodeLength))
        {
            throw new InvalidDataException($"Corrupt Dsh index: substring count {parameter} is outside {MinSubstringCount(store.CodeLength)}..{store.CodeLength} for {store.CodeLength}-bit codes (0 = automatic).");
        }

        return new MultiIndexHashIndex(store, parameter);
    }

    /// <summary>Reads an index file written by <see cref="Save(string)"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The index, with its tables rebuilt.</returns>
    /// <exception cref="InvalidDataException">The file is not a complete, intact Dsh multi-index hashing index.</exception>
    public static MultiIndexHashIndex Load(string path) => IndexFile.LoadFile(path, Load, "Dsh index");

    /// <inheritdoc />
    public bool Contains(long id) => _rows.Contains(id);

    /// <inheritdoc />
    public bool TryGetCode(long id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out BinaryCode? code) => _rows.TryGetCode(id, out code);

    /// <inheritdoc />
    public IndexSnapshot Snapshot() => _rows.Snapshot();

    /// <inheritdoc />
    public void Add(long id, BinaryCode code)
    {
        Guard.SameCodeLength(CodeLength, code);
        using (_rows.Write())
        {
            int slot = _scan.Add(id, code.Words);
            if (!RechooseSubstringCount())
            {
                _tables.Added(_store, slot, 1);
            }
        }
    }

    /// <inheritdoc />
    public void AddRange(IReadOnlyList<long> ids, BinaryCodeSet codes)
    {
        long[] idArray = IndexArguments.CheckRange(CodeLength, ids, codes);
        using (_rows.Write())
        {
            int first = _scan.AddRange(idArray, codes.Words);
            if (idArray.Length != 0 && !RechooseSubstringCount())
            {
                _tables.Added(_store, first, idArray.Length);
            }
        }
    }

    /// <inheritdoc />
    public void AddRange(IEnumerable<(long Id, BinaryCode Code)> items)
    {
        (long[] ids, BinaryCodeSet codes) = IndexArguments.Split(CodeLength, items);
        AddRange(ids, codes);
    }

    /// <inheritdoc />
    public bool Remove(long id)
    {
        using (_rows.Write())
        {
            if (!_scan.Remove(id, out int slot, out int movedFrom))
            {
                return false;
            }

            if (!RechooseSubstringCount())
            {
                _tables.Removed(_store, slot, movedFrom);
            }

            return true;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<Neighbor> Search(BinaryCode query, int k) => Search(query, k, out _);

    /// <inheritdoc />
    public IReadOnlyList<IReadOnlyList<Neighbor>> SearchBatch(IReadOnlyList<BinaryCode> queries, int k) =>
        SearchBatch(queries, k, -1, CancellationToken.None);

    /// <summary>Searches many queries, in parallel.</summary>
    /// <param name="queries">Codes of <see cref="CodeLength"/> bits.</param>
    /// <param name="k">How many neighbours a query, at least 1.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; -1 for all cores, 1 for the calling thread only.</param>
    /// <param name="cancellationToken">Stops the search between queries.</param>
    /// <returns>One result list a query, in query order.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public IReadOnlyList<IReadOnlyList<Neighbor>> SearchBatch(IReadOnlyList<BinaryCode> queries, int k, int maxDegreeOfParallelism, CancellationToken cancellationToken = default) =>
        // A group is one query; the workers call the lock-free core under the batch's one read lock.
        BatchSearch.Run(_rows, queries, k, maxDegreeOfParallelism, cancellationToken, 1, (batch, first, count, results) =>
        {
            for (int i = first; i < first + count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                results[i] = SearchCore(batch[i].Words, k, out _);
            }
        });

    /// <inheritdoc />
    public IReadOnlyList<Neighbor> SearchRadius(BinaryCode query, int maxDistance) => SearchRadius(query, maxDistance, out _);

    /// <inheritdoc />
    public void Save(Stream stream) => _rows.Save(stream, FileKind, _fixedSubstringCount);

    /// <inheritdoc />
    public void Save(string path) => AtomicFile.Write(path, Save);

    /// <summary><see cref="Search(BinaryCode, int)"/>, reporting what the search did.</summary>
    internal IReadOnlyList<Neighbor> Search(BinaryCode query, int k, out MihSearchStats stats)
    {
        Guard.SameCodeLength(CodeLength, query);
        Guard.Positive(k);
        using (_rows.Read())
        {
            return SearchCore(query.Words, k, out stats);
        }
    }

    /// <summary><see cref="SearchRadius(BinaryCode, int)"/>, reporting what the search did.</summary>
    internal IReadOnlyList<Neighbor> SearchRadius(BinaryCode query, int maxDistance, out MihSearchStats stats)
    {
        Guard.SameCodeLength(CodeLength, query);
        Guard.NotNegative(maxDistance);
        using (_rows.Read())
        {
            stats = default;
            stats.Radius = -1;
            var collector = new RadiusCollector(maxDistance);
            bool probe = _store.Count != 0 && (maxDistance < CodeLength || Cost.NeverScanning);
            if (!probe || !MihSearcher.Probe(_tables, _store, query.Words, collector, Cost, ref stats))
            {
                collector = new RadiusCollector(maxDistance);
                Scan(query.Words, collector, ref stats);
            }

            return collector.ToResult(_store.Ids);
        }
    }

    private static int MinSubstringCount(int codeLength) => (codeLength + 63) >> 6;

    private static int ValidSubstringCount(int codeLength, int substringCount)
    {
        int min = MinSubstringCount(codeLength);
        if (substringCount < min || substringCount > codeLength)
        {
            throw new ArgumentOutOfRangeException(nameof(substringCount), substringCount, $"'{nameof(substringCount)}' must be between {min} (substrings of at most 64 bits) and {codeLength} (one bit each) for {codeLength}-bit codes; got {substringCount}.");
        }

        return substringCount;
    }

    /// <summary>The top-k search; the caller holds the read lock (never takes it).</summary>
    private Neighbor[] SearchCore(ReadOnlySpan<ulong> query, int k, out MihSearchStats stats)
    {
        stats = default;
        stats.Radius = -1;
        int n = _store.Count;
        if (n == 0)
        {
            return Array.Empty<Neighbor>();
        }

        var collector = new TopKCollector(k, CodeLength);
        bool probe = k < n || Cost.NeverScanning;
        if (!probe || !MihSearcher.Probe(_tables, _store, query, collector, Cost, ref stats))
        {
            collector = new TopKCollector(k, CodeLength);
            Scan(query, collector, ref stats);
        }

        return collector.ToResult(_store.Ids);
    }

    private void Scan(ReadOnlySpan<ulong> query, NeighborSink sink, ref MihSearchStats stats)
    {
        stats.Scanned = true;
        _scan.ScanAll(_scan.Kernel, query, sink);
    }

    /// <summary>
    /// After a write (write lock held): with an automatic substring count, once the code count has doubled or
    /// halved since the count was last chosen, choose again, and rebuild the tables if it changed.
    /// </summary>
    /// <returns>True when the tables were rebuilt (so the write needs no table update).</returns>
    private bool RechooseSubstringCount()
    {
        int n = _store.Count;
        if (_fixedSubstringCount != 0 || (n < 2L * _chosenAt && 2L * n > _chosenAt))
        {
            return false;
        }

        _chosenAt = n;
        int m = RecommendedSubstringCount(CodeLength, n);
        if (m == _tables.Layout.Count)
        {
            return false;
        }

        _tables = new MihTables(new SubstringLayout(CodeLength, m), _store, _tables.Builds);
        return true;
    }
}
