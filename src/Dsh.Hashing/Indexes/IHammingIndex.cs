namespace Dsh.Hashing;

/// <summary>
/// The contract every Dsh index keeps, so an application can swap <see cref="HammingIndex"/> (flat, exact
/// scan) and <see cref="MultiIndexHashIndex"/> (sub-linear, equally exact) without other changes.
/// </summary>
/// <remarks>
/// <para>Ids are unique: <see cref="Add"/> of an id already present throws <see cref="ArgumentException"/>
/// and changes nothing; <see cref="Remove"/> then <see cref="Add"/> replaces a code.</para>
/// <para>Results are ordered by (distance, id) and hold <c>min(k, Count)</c> neighbours; an empty index
/// answers with an empty list.</para>
/// <para>Thread safety: any number of searches run at once; a write (<see cref="Add"/>, <c>AddRange</c>,
/// <see cref="Remove"/>) waits for running searches and holds new ones back until it is done, so a search
/// sees each write, or each batch of <c>AddRange</c>, entirely or not at all.</para>
/// </remarks>
public interface IHammingIndex
{
    /// <summary>The code length every stored and query code must have.</summary>
    int CodeLength { get; }

    /// <summary>The number of stored codes.</summary>
    int Count { get; }

    /// <summary>Whether <paramref name="id"/> is stored.</summary>
    /// <param name="id">An id.</param>
    bool Contains(long id);

    /// <summary>Stores <paramref name="code"/> under <paramref name="id"/>.</summary>
    /// <param name="id">A new, unique id.</param>
    /// <param name="code">A code of <see cref="CodeLength"/> bits.</param>
    /// <exception cref="ArgumentNullException"><paramref name="code"/> is null.</exception>
    /// <exception cref="ArgumentException">The code length is wrong, or the id is already stored.</exception>
    void Add(long id, BinaryCode code);

    /// <summary>Stores many codes at once, all or none.</summary>
    /// <param name="ids">One unique id a code.</param>
    /// <param name="codes">Codes of <see cref="CodeLength"/> bits, as many as <paramref name="ids"/>.</param>
    void AddRange(IReadOnlyList<long> ids, BinaryCodeSet codes);

    /// <summary>Stores many (id, code) pairs at once, all or none.</summary>
    /// <param name="items">The pairs.</param>
    void AddRange(IEnumerable<(long Id, BinaryCode Code)> items);

    /// <summary>Removes <paramref name="id"/>.</summary>
    /// <param name="id">An id.</param>
    /// <returns>True if it was stored.</returns>
    bool Remove(long id);

    /// <summary>The <paramref name="k"/> nearest codes by Hamming distance, ordered by (distance, id).</summary>
    /// <param name="query">A code of <see cref="CodeLength"/> bits.</param>
    /// <param name="k">How many neighbours, at least 1.</param>
    IReadOnlyList<Neighbor> Search(BinaryCode query, int k);

    /// <summary>Searches many queries, using every core.</summary>
    /// <param name="queries">Codes of <see cref="CodeLength"/> bits.</param>
    /// <param name="k">How many neighbours a query, at least 1.</param>
    /// <returns>One result list a query, in query order.</returns>
    IReadOnlyList<IReadOnlyList<Neighbor>> SearchBatch(IReadOnlyList<BinaryCode> queries, int k);

    /// <summary>Searches many queries on up to <paramref name="maxDegreeOfParallelism"/> threads, and can be cancelled.</summary>
    /// <param name="queries">Codes of <see cref="CodeLength"/> bits.</param>
    /// <param name="k">How many neighbours a query, at least 1.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; -1 for all cores, 1 for the calling thread only.</param>
    /// <param name="cancellationToken">Stops the search (between blocks of codes or between queries).</param>
    /// <returns>One result list a query, in query order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is 0 or less, or <paramref name="maxDegreeOfParallelism"/> is 0 or below -1.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    IReadOnlyList<IReadOnlyList<Neighbor>> SearchBatch(IReadOnlyList<BinaryCode> queries, int k, int maxDegreeOfParallelism, CancellationToken cancellationToken = default);

    /// <summary>Every code within <paramref name="maxDistance"/> of the query, ordered by (distance, id).</summary>
    /// <param name="query">A code of <see cref="CodeLength"/> bits.</param>
    /// <param name="maxDistance">The largest distance wanted, 0 or more.</param>
    IReadOnlyList<Neighbor> SearchRadius(BinaryCode query, int maxDistance);

    /// <summary>The stored code of <paramref name="id"/>.</summary>
    /// <param name="id">An id.</param>
    /// <param name="code">The code, or null.</param>
    bool TryGetCode(long id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out BinaryCode? code);

    /// <summary>A copy of the ids and codes, row for row (for export, e.g. to FAISS, or to build another index).</summary>
    IndexSnapshot Snapshot();

    /// <summary>Writes the index in the checked Dsh index format (see docs/indexing.md).</summary>
    /// <param name="stream">A writable stream; left open.</param>
    void Save(Stream stream);

    /// <summary>Writes the index to <paramref name="path"/> atomically: a crash mid-save leaves any old file intact.</summary>
    /// <param name="path">The file path.</param>
    void Save(string path);
}
