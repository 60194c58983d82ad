using Dsh.Hashing.Indexes;
using Dsh.Hashing.Internal;
using Dsh.Hashing.Kernels;
using Dsh.Hashing.Persistence;
using Dsh.Hashing.Search;

namespace Dsh.Hashing;

/// <summary>
/// Exact Hamming search by a full scan, with SIMD kernels chosen at run time (bit-sliced AVX-512,
/// AVX-512BW, AVX2, scalar POPCNT), top-k by distance buckets, and cache-blocked batch search on all cores.
/// </summary>
/// <remarks>
/// <para>Ids are unique (see <see cref="IHammingIndex"/>); searches may run concurrently with each other and
/// with writes (a reader–writer lock: writes are exclusive, searches shared).</para>
/// <para>Where the CPU has AVX-512F (and .NET accelerates <c>Vector512</c>) the index also keeps its codes transposed, in blocks of 512 codes (one
/// 512-bit plane a bit position), for the <see cref="HammingKernelKind.BitSliced"/> kernel: about
/// <c>codeLength / 8</c> more bytes a code.</para>
/// </remarks>
public sealed class HammingIndex : IHammingIndex
{
    internal const string FileKind = "FLAT";

    /// <summary>Queries that share one pass over each block.</summary>
    private const int QueryGroup = 16;

    private readonly CodeStore _store;
    private readonly LockedCodeStore _rows;
    private readonly FullScan _scan;

    /// <summary>Creates an empty index of <paramref name="bits"/>-bit codes.</summary>
    /// <param name="bits">The code length, 1 to <see cref="BinaryCode.MaxCodeLength"/> (named <c>bits</c>, as in the first release: code that passes it by name keeps compiling).</param>
    public HammingIndex(int bits)
        : this(new CodeStore(IndexArguments.ValidCodeLength(bits)))
    {
    }

    private HammingIndex(CodeStore store)
    {
        _store = store;
        _rows = new LockedCodeStore(store);
        _scan = new FullScan(store);
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
    /// The distance kernel searches use. It starts as the fastest one this CPU supports for <see cref="CodeLength"/>;
    /// set it to compare kernels (results are identical). Searches running while it is set finish with the
    /// kernel they started with.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">The CPU lacks the instructions of that kernel.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a <see cref="HammingKernelKind"/>.</exception>
    public HammingKernelKind Kernel
    {
        get => _scan.Kernel;
        set => _scan.Kernel = value;
    }

    /// <summary>Reads an index written by <see cref="Save(Stream)"/>, or the codes of a <see cref="Gallery"/> (whose item metadata is checked, then dropped).</summary>
    /// <param name="stream">The stream, positioned at the index; left open and positioned after it.</param>
    /// <exception cref="InvalidDataException">The data is not a complete, intact Dsh flat index.</exception>
    public static HammingIndex Load(Stream stream) => new(IndexFile.Read(stream, FileKind, out _));

    /// <summary>Reads an index file written by <see cref="Save(string)"/>, or the codes of a <see cref="Gallery"/> file.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">The file is not a complete, intact Dsh flat index.</exception>
    public static HammingIndex Load(string path) => IndexFile.LoadFile(path, Load, "Dsh index");

    /// <inheritdoc />
    public bool Contains(long id) => _rows.Contains(id);

    /// <summary>Wraps rows read from a file.</summary>
    internal static HammingIndex FromStore(CodeStore store) => new(store);

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
            _scan.Add(id, code.Words);
        }
    }

    /// <inheritdoc />
    public void AddRange(IReadOnlyList<long> ids, BinaryCodeSet codes)
    {
        long[] idArray = IndexArguments.CheckRange(CodeLength, ids, codes);
        using (_rows.Write())
        {
            _scan.AddRange(idArray, codes.Words);
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
            return _scan.Remove(id, out _, out _);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<Neighbor> Search(BinaryCode query, int k)
    {
        Guard.SameCodeLength(CodeLength, query);
        Guard.Positive(k);
        using (_rows.Read())
        {
            if (_store.Count == 0)
            {
                return Array.Empty<Neighbor>();
            }

            var collector = new TopKCollector(k, CodeLength);
            _scan.ScanAll(_scan.Kernel, query.Words, collector);
            return collector.ToResult(_store.Ids);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<IReadOnlyList<Neighbor>> SearchBatch(IReadOnlyList<BinaryCode> queries, int k) =>
        SearchBatch(queries, k, -1, CancellationToken.None);

    /// <summary>
    /// Searches many queries: groups of queries share one pass over each cache-sized block of codes, and
    /// groups run in parallel.
    /// </summary>
    /// <param name="queries">Codes of <see cref="CodeLength"/> bits.</param>
    /// <param name="k">How many neighbours a query, at least 1.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; -1 for all cores, 1 for the calling thread only.</param>
    /// <param name="cancellationToken">Stops the search between blocks.</param>
    /// <returns>One result list a query, in query order.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public IReadOnlyList<IReadOnlyList<Neighbor>> SearchBatch(IReadOnlyList<BinaryCode> queries, int k, int maxDegreeOfParallelism, CancellationToken cancellationToken = default)
    {
        HammingKernelKind kernel = _scan.Kernel; // one kernel for the whole batch, even if Kernel is set meanwhile
        return BatchSearch.Run(_rows, queries, k, maxDegreeOfParallelism, cancellationToken, QueryGroup, (batch, first, count, results) =>
            SearchGroup(batch, first, count, k, kernel, results, cancellationToken));
    }

    /// <inheritdoc />
    public IReadOnlyList<Neighbor> SearchRadius(BinaryCode query, int maxDistance)
    {
        Guard.SameCodeLength(CodeLength, query);
        Guard.NotNegative(maxDistance);
        using (_rows.Read())
        {
            var collector = new RadiusCollector(maxDistance);
            _scan.ScanAll(_scan.Kernel, query.Words, collector);
            return collector.ToResult(_store.Ids);
        }
    }

    /// <inheritdoc />
    public void Save(Stream stream) => _rows.Save(stream, FileKind, 0);

    /// <inheritdoc />
    public void Save(string path) => AtomicFile.Write(path, Save);

    /// <summary>Answers <c>queries[first .. first + n)</c> in one pass over the codes; the caller holds the read lock.</summary>
    private void SearchGroup(BinaryCode[] queries, int first, int n, int k, HammingKernelKind kernel, IReadOnlyList<Neighbor>[] results, CancellationToken cancellationToken)
    {
        var collectors = new TopKCollector[n];
        for (int j = 0; j < n; j++)
        {
            collectors[j] = new TopKCollector(k, CodeLength);
        }

        if (_store.Count != 0)
        {
            var sinks = new NeighborSink[n];
            Array.Copy(collectors, sinks, n);
            _scan.ScanGroup(kernel, queries.AsSpan(first, n), sinks, cancellationToken);
        }

        for (int j = 0; j < n; j++)
        {
            results[first + j] = collectors[j].ToResult(_store.Ids);
        }
    }
}
