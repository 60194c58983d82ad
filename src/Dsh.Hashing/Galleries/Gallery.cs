using System.Diagnostics.CodeAnalysis;
using System.Diagnostics;
using Dsh.Hashing.Galleries;
using Dsh.Hashing.Indexes;
using Dsh.Hashing.Internal;
using Dsh.Hashing.Persistence;

namespace Dsh.Hashing;

/// <summary>
/// Binary codes with what each stands for — an item with a unique key and an optional category — searchable
/// exactly by Hamming distance, stored as one checked file that several processes can update safely.
/// </summary>
/// <remarks>
/// <para><b>Ids.</b> Every item has a <see cref="long"/> id, unique in the gallery. <see cref="Add(BinaryCode, GalleryItem)"/>
/// assigns <see cref="NextId"/>: one more than the largest id ever stored, so a removed id is never reused. Ids
/// are any <see cref="long"/> below <see cref="long.MaxValue"/>. Keys are unique too (<see cref="TryFindKey"/>).</para>
/// <para><b>Search.</b> <see cref="Search"/> and <see cref="SearchBatch(IReadOnlyList{BinaryCode}, int)"/> answer exactly
/// as <see cref="HammingIndex"/> does over the same ids and codes: <c>min(k, Count)</c> neighbours ordered by
/// (distance, id). <see cref="SearchItems(BinaryCode, int)"/> adds each neighbour's item, read in the same moment.</para>
/// <para><b>Threads.</b> Any number of searches and reads run at once; a change (<c>Add</c>, <c>AddRange</c>,
/// <c>Remove</c>, setting <see cref="Properties"/>, a reload) waits for them and holds new ones back until it is
/// done, so a reader sees each change completely or not at all.</para>
/// <para><b>Files.</b> <see cref="Save(string, GalleryLockOptions?)"/> writes the whole gallery atomically (a crash
/// leaves the old file or the new one); <see cref="Load(string)"/> checks every byte. Several processes can share
/// one file: <see cref="Update{T}(string, Func{Gallery, T}, GalleryLockOptions?, CancellationToken)"/> (load,
/// change, save) and <see cref="Commit{T}(string, Func{Gallery, T}, GalleryLockOptions?, CancellationToken)"/>
/// (change a gallery held in memory, then save) run under an exclusive lock file <c>PATH.lock</c>, so no update is
/// lost; readers need no lock. Each save that changes the file raises its <see cref="Generation"/>.</para>
/// </remarks>
public sealed class Gallery
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);

    /// <summary>Lets one <see cref="Commit{T}(string, Func{Gallery, T}, GalleryLockOptions?, CancellationToken)"/> or <see cref="Refresh"/> of this instance run at a time.</summary>
    private readonly SemaphoreSlim _fileGate = new(1, 1);

    private GalleryContents _contents;

    /// <summary>Counts changes (under the write lock).</summary>
    private long _version;

    /// <summary>The <see cref="_version"/> that the file of <see cref="_checksum"/> holds.</summary>
    private long _savedVersion;

    private long _generation;

    /// <summary>The last checksum of the file this gallery was loaded from or last saved to; null when none.</summary>
    private ulong? _checksum;

    private string? _legacyCatalog;

    /// <summary>The managed thread inside a commit's change, or 0.</summary>
    private int _committingThread;

    /// <summary>Creates an empty gallery.</summary>
    /// <param name="codeLength">The code length, 1 to <see cref="BinaryCode.MaxCodeLength"/>.</param>
    /// <param name="properties">The gallery-wide values, or null for none.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="codeLength"/> is out of range.</exception>
    public Gallery(int codeLength, GalleryProperties? properties = null)
    {
        Guard.CodeLengthInRange(codeLength);
        CodeLength = codeLength;
        _contents = new GalleryContents(codeLength, properties ?? GalleryProperties.Empty);
    }

    private Gallery(Loaded loaded)
    {
        CodeLength = loaded.Contents.CodeLength;
        _contents = loaded.Contents;
        _generation = loaded.Generation;
        _checksum = loaded.Checksum;
        _legacyCatalog = loaded.LegacyCatalog;
    }

    /// <summary>The code length every stored and query code has.</summary>
    public int CodeLength { get; }

    /// <summary>The code length under its first name; use <see cref="CodeLength"/>.</summary>
    [Obsolete("Use CodeLength.")]
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public int Bits => CodeLength;

    /// <summary>The number of items.</summary>
    public int Count
    {
        get
        {
            using (ReadLock())
            {
                return _contents.Count;
            }
        }
    }

    /// <summary>The gallery-wide values (model, domain, root). Setting them is a change.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public GalleryProperties Properties
    {
        get
        {
            using (ReadLock())
            {
                return _contents.Properties;
            }
        }

        set
        {
            Guard.NotNull(value);
            using (WriteLock())
            {
                if (_contents.Properties != value)
                {
                    _contents.Properties = value;
                    _version++;
                }
            }
        }
    }

    /// <summary>
    /// The generation of the file this gallery was last loaded from or saved to (0 for a new gallery). Every save
    /// that changes a file writes a generation above that file's previous one and above this gallery's.
    /// </summary>
    public long Generation
    {
        get
        {
            using (ReadLock())
            {
                return _generation;
            }
        }
    }

    /// <summary>The id <see cref="Add(BinaryCode, GalleryItem)"/> assigns next: one more than the largest id ever stored (0 at first).</summary>
    public long NextId
    {
        get
        {
            using (ReadLock())
            {
                return _contents.NextId;
            }
        }
    }

    /// <summary>Whether the gallery changed since it was loaded or last saved to a file.</summary>
    public bool HasUnsavedChanges
    {
        get
        {
            using (ReadLock())
            {
                return _version != _savedVersion;
            }
        }
    }

    /// <summary>
    /// The catalog (<c>INDEX.catalog.json</c>) this gallery was read from, when <see cref="Load(string)"/> found the
    /// older pair of a version 1 index and its catalog; null otherwise, and after the gallery is saved to a file.
    /// Save the gallery to turn the pair into one file, then <see cref="DeleteLegacyCatalog"/>.
    /// </summary>
    public string? LegacyCatalog
    {
        get
        {
            using (ReadLock())
            {
                return _legacyCatalog;
            }
        }
    }

    /// <summary>The distance kernel searches use (see <see cref="HammingIndex.Kernel"/>).</summary>
    public HammingKernelKind Kernel
    {
        get
        {
            using (ReadLock())
            {
                return _contents.Index.Kernel;
            }
        }
    }

    /// <summary>Reads a gallery written by <see cref="Save(Stream)"/>.</summary>
    /// <param name="stream">The stream, positioned at the gallery; left open and positioned after it.</param>
    /// <exception cref="InvalidDataException">The data is not a complete, intact gallery (the message says what is wrong).</exception>
    public static Gallery Load(Stream stream)
    {
        IndexFile.Contents contents = IndexFile.Read(stream, GalleryFile.Kind, keepMetadata: true);
        if (contents.Version == IndexFile.Version)
        {
            throw new InvalidDataException("Not a gallery: this is a version 1 Dsh index, codes without item keys. If it has a catalog next to it, load it by its path.");
        }

        return new Gallery(new Loaded(GalleryFile.Read(contents), contents.Generation, contents.Checksum, null));
    }

    /// <summary>
    /// Reads a gallery file; or the older pair of a version 1 index file and its catalog <c>PATH.catalog.json</c>
    /// (see <see cref="LegacyCatalog"/>). A version 1 index without a catalog is refused: it has no item keys.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file (or the catalog) is not a complete, intact gallery (the message says what is wrong).</exception>
    public static Gallery Load(string path) => new(ReadFile(FullPath(path)));

    /// <summary>
    /// Loads <paramref name="path"/>, applies <paramref name="change"/> and saves the result, all under the
    /// exclusive lock file <c>PATH.lock</c>, so that concurrent updates from any number of threads and processes
    /// all take effect, one after another. Nothing is saved when <paramref name="change"/> changes nothing or throws.
    /// </summary>
    /// <typeparam name="T">What <paramref name="change"/> returns.</typeparam>
    /// <param name="path">An existing gallery file (or version 1 index with its catalog; it is saved as a gallery).</param>
    /// <param name="change">Changes the gallery it is given; it must not keep it.</param>
    /// <param name="options">How long to wait for the lock; null for <see cref="GalleryLockOptions.Default"/>.</param>
    /// <param name="cancellationToken">Stops the wait for the lock.</param>
    /// <returns>What <paramref name="change"/> returned.</returns>
    /// <exception cref="TimeoutException">Another writer held the lock for the whole timeout (the message names the lock file and its holder).</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a complete, intact gallery.</exception>
    public static T Update<T>(string path, Func<Gallery, T> change, GalleryLockOptions? options = null, CancellationToken cancellationToken = default)
    {
        string full = FullPath(path);
        Guard.NotNull(change);
        using (GalleryLock.Acquire(full, (options ?? GalleryLockOptions.Default).Timeout, cancellationToken))
        {
            var gallery = new Gallery(ReadFile(full));
            T result = change(gallery);
            if (gallery.HasUnsavedChanges)
            {
                gallery.SaveFile(full);
            }

            return result;
        }
    }

    /// <summary>As <see cref="Update{T}(string, Func{Gallery, T}, GalleryLockOptions?, CancellationToken)"/>, for a change that returns nothing.</summary>
    /// <param name="path">An existing gallery file.</param>
    /// <param name="change">Changes the gallery it is given.</param>
    /// <param name="options">How long to wait for the lock; null for the default.</param>
    /// <param name="cancellationToken">Stops the wait for the lock.</param>
    public static void Update(string path, Action<Gallery> change, GalleryLockOptions? options = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(change);
        Update(path, g =>
        {
            change(g);
            return 0;
        }, options, cancellationToken);
    }

    /// <summary>The catalog path that went with a version 1 index file: <c>PATH.catalog.json</c>.</summary>
    /// <param name="path">The index (gallery) file.</param>
    public static string LegacyCatalogPath(string path) => CatalogPath(FullPath(path));

    /// <summary>
    /// Deletes the catalog <c>PATH.catalog.json</c> once <paramref name="path"/> holds a gallery (so the catalog
    /// is no longer read); refuses while <paramref name="path"/> is still a version 1 index that needs it.
    /// </summary>
    /// <param name="path">The gallery file.</param>
    /// <returns>True if a catalog was deleted, false if there was none.</returns>
    /// <exception cref="FileNotFoundException"><paramref name="path"/> does not exist.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="path"/> is not a gallery file yet.</exception>
    public static bool DeleteLegacyCatalog(string path)
    {
        string full = FullPath(path);
        string catalog = CatalogPath(full);
        if (!File.Exists(catalog))
        {
            return false;
        }

        IndexFile.Stamp stamp = IndexFile.TryReadStamp(full) ?? throw new FileNotFoundException($"'{full}' does not exist.", full);
        if (stamp.Version != IndexFile.VersionWithMetadata || stamp.MetadataLength == 0)
        {
            throw new InvalidOperationException($"'{full}' is still a version {stamp.Version} index that needs its catalog '{catalog}'; save it as a gallery first.");
        }

        File.Delete(catalog);
        return true;
    }

    /// <summary>Whether <paramref name="id"/> is stored.</summary>
    /// <param name="id">An id.</param>
    public bool Contains(long id)
    {
        using (ReadLock())
        {
            return _contents.Contains(id);
        }
    }

    /// <summary>Stores <paramref name="code"/> and <paramref name="item"/> under the next id (<see cref="NextId"/>).</summary>
    /// <param name="code">A code of <see cref="CodeLength"/> bits.</param>
    /// <param name="item">The item; its key must not be in the gallery yet.</param>
    /// <returns>The id assigned.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The code length is wrong, or the key is already stored.</exception>
    public long Add(BinaryCode code, GalleryItem item)
    {
        using (WriteLock())
        {
            long id = _contents.Add(code, item);
            _version++;
            return id;
        }
    }

    /// <summary>Stores <paramref name="code"/> and <paramref name="item"/> under <paramref name="id"/>.</summary>
    /// <param name="id">A new id, below <see cref="long.MaxValue"/>.</param>
    /// <param name="code">A code of <see cref="CodeLength"/> bits.</param>
    /// <param name="item">The item; its key must not be in the gallery yet.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The code length is wrong, or the id or key is already stored.</exception>
    public void Add(long id, BinaryCode code, GalleryItem item)
    {
        using (WriteLock())
        {
            _contents.Add(id, code, item);
            _version++;
        }
    }

    /// <summary>Stores many items under consecutive new ids from <see cref="NextId"/>, all or none.</summary>
    /// <param name="codes">Codes of <see cref="CodeLength"/> bits.</param>
    /// <param name="items">One item a code, keys unique and not in the gallery yet.</param>
    /// <returns>The ids assigned, one an item, in order.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The code length or count is wrong, an item is null, or a key is repeated or already stored.</exception>
    public IReadOnlyList<long> AddRange(BinaryCodeSet codes, IReadOnlyList<GalleryItem> items)
    {
        using (WriteLock())
        {
            long[] ids = _contents.AddRange(codes, items);
            _version++;
            return ids;
        }
    }

    /// <summary>Removes the item of <paramref name="id"/> and its code. Its id is never assigned again.</summary>
    /// <param name="id">An id.</param>
    /// <returns>True if it was stored.</returns>
    public bool Remove(long id)
    {
        using (WriteLock())
        {
            bool removed = _contents.Remove(id);
            _version += removed ? 1 : 0;
            return removed;
        }
    }

    /// <summary>The item stored under <paramref name="id"/>.</summary>
    /// <param name="id">An id.</param>
    /// <param name="item">The item, or null.</param>
    public bool TryGetItem(long id, [NotNullWhen(true)] out GalleryItem? item)
    {
        using (ReadLock())
        {
            return _contents.TryGetItem(id, out item);
        }
    }

    /// <summary>The code stored under <paramref name="id"/>.</summary>
    /// <param name="id">An id.</param>
    /// <param name="code">The code, or null.</param>
    public bool TryGetCode(long id, [NotNullWhen(true)] out BinaryCode? code)
    {
        using (ReadLock())
        {
            return _contents.Index.TryGetCode(id, out code);
        }
    }

    /// <summary>The id of the item with key <paramref name="key"/> (compared ordinally).</summary>
    /// <param name="key">A key.</param>
    /// <param name="id">The id, or 0.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public bool TryFindKey(string key, out long id)
    {
        Guard.NotNull(key);
        using (ReadLock())
        {
            return _contents.TryFindKey(key, out id);
        }
    }

    /// <summary>A copy of every (id, item), ordered by id.</summary>
    public IReadOnlyList<KeyValuePair<long, GalleryItem>> GetItems()
    {
        using (ReadLock())
        {
            return _contents.ItemsById();
        }
    }

    /// <summary>A copy of the number of items of each category (items without one are not counted).</summary>
    public IReadOnlyDictionary<string, int> GetCategoryCounts()
    {
        using (ReadLock())
        {
            return _contents.CategoryCounts();
        }
    }

    /// <summary>A copy of the ids and codes, row for row (to export them, or build another index).</summary>
    public IndexSnapshot Snapshot()
    {
        using (ReadLock())
        {
            return _contents.Index.Snapshot();
        }
    }

    /// <summary>The <paramref name="k"/> nearest codes by Hamming distance, ordered by (distance, id).</summary>
    /// <param name="query">A code of <see cref="CodeLength"/> bits.</param>
    /// <param name="k">How many neighbours, at least 1.</param>
    /// <exception cref="ArgumentException">The query length is wrong, or <paramref name="k"/> is not positive.</exception>
    public IReadOnlyList<Neighbor> Search(BinaryCode query, int k)
    {
        using (ReadLock())
        {
            return _contents.Index.Search(query, k);
        }
    }

    /// <summary>As <see cref="Search"/>, with the item of each neighbour, all read in one moment.</summary>
    /// <param name="query">A code of <see cref="CodeLength"/> bits.</param>
    /// <param name="k">How many neighbours, at least 1.</param>
    /// <exception cref="ArgumentException">The query length is wrong, or <paramref name="k"/> is not positive.</exception>
    public IReadOnlyList<GalleryNeighbor> SearchItems(BinaryCode query, int k)
    {
        using (ReadLock())
        {
            return WithItems(_contents, _contents.Index.Search(query, k).Select(n => (n.Id, n.Distance)));
        }
    }

    /// <summary>Each (id, distance) with its item, read under the caller's lock.</summary>
    private static GalleryNeighbor[] WithItems(GalleryContents contents, IEnumerable<(long Id, int Distance)> neighbors) =>
        neighbors.Select(n => new GalleryNeighbor(n.Id, n.Distance, contents.TryGetItem(n.Id, out GalleryItem? item) ? item : throw new InvalidOperationException($"Id {n.Id} has no item."))).ToArray();

    /// <summary>
    /// A two-stage search: the <paramref name="rerankDepth"/> nearest codes to the signs of
    /// <paramref name="queryEmbedding"/> by Hamming distance, re-ordered by <see cref="AsymmetricReranker"/> (the
    /// embedding against each candidate's code), of which the first <paramref name="k"/> are returned. Photos that tie in
    /// Hamming distance are told apart by the bits the query is sure of. All read in one moment.
    /// </summary>
    /// <param name="queryEmbedding">The query's real-valued network output (<c>DshModel.EmbedSketch</c>), <see cref="CodeLength"/> finite values.</param>
    /// <param name="k">How many neighbours, at least 1.</param>
    /// <param name="rerankDepth">How many Hamming candidates to re-order (at least 1; fewer than <paramref name="k"/> counts as <paramref name="k"/>).</param>
    /// <exception cref="ArgumentException">The embedding's length is wrong or it is not finite, or <paramref name="k"/> or <paramref name="rerankDepth"/> is not positive.</exception>
    public IReadOnlyList<GalleryNeighbor> SearchItems(ReadOnlySpan<float> queryEmbedding, int k, int rerankDepth)
    {
        Guard.Positive(k, nameof(k));
        Guard.Positive(rerankDepth, nameof(rerankDepth));
        if (queryEmbedding.Length != CodeLength)
        {
            throw new ArgumentException($"The query embedding has {queryEmbedding.Length} values; this gallery holds {CodeLength}-bit codes.", nameof(queryEmbedding));
        }
        BinaryCode code = BinaryCode.FromSigns(queryEmbedding);
        using (ReadLock())
        {
            IReadOnlyList<Neighbor> candidates = _contents.Index.Search(code, Math.Max(k, rerankDepth));
            GalleryContents contents = _contents;
            IReadOnlyList<RerankedNeighbor> reranked = AsymmetricReranker.Rerank(queryEmbedding, candidates,
                id => contents.Index.TryGetCode(id, out BinaryCode? c) ? c : throw new InvalidOperationException($"Id {id} has no code."), k);
            return WithItems(contents, reranked.Select(n => (n.Id, n.Distance)));
        }
    }

    /// <summary>Searches many queries, using every core.</summary>
    /// <param name="queries">Codes of <see cref="CodeLength"/> bits.</param>
    /// <param name="k">How many neighbours a query, at least 1.</param>
    /// <returns>One result list a query, in query order.</returns>
    public IReadOnlyList<IReadOnlyList<Neighbor>> SearchBatch(IReadOnlyList<BinaryCode> queries, int k) =>
        SearchBatch(queries, k, -1, CancellationToken.None);

    /// <summary>Searches many queries (see <see cref="HammingIndex.SearchBatch(IReadOnlyList{BinaryCode}, int, int, CancellationToken)"/>).</summary>
    /// <param name="queries">Codes of <see cref="CodeLength"/> bits.</param>
    /// <param name="k">How many neighbours a query, at least 1.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; -1 for all cores, 1 for the calling thread only.</param>
    /// <param name="cancellationToken">Stops the search between blocks.</param>
    /// <returns>One result list a query, in query order.</returns>
    public IReadOnlyList<IReadOnlyList<Neighbor>> SearchBatch(IReadOnlyList<BinaryCode> queries, int k, int maxDegreeOfParallelism, CancellationToken cancellationToken = default)
    {
        using (ReadLock())
        {
            return _contents.Index.SearchBatch(queries, k, maxDegreeOfParallelism, cancellationToken);
        }
    }

    /// <summary>
    /// Writes the gallery in the Dsh index format, version 2 (see docs/indexing.md), with the current
    /// <see cref="Generation"/>, one higher when there are unsaved changes. Does not count as saved for
    /// <see cref="HasUnsavedChanges"/>.
    /// </summary>
    /// <param name="stream">A writable stream; left open.</param>
    public void Save(Stream stream)
    {
        Guard.NotNull(stream);
        GalleryRows rows;
        long generation;
        using (ReadLock())
        {
            rows = _contents.Rows();
            generation = _generation + (_version != _savedVersion ? 1 : 0);
        }

        GalleryFile.Write(stream, rows, generation);
    }

    /// <summary>
    /// Writes the gallery to <paramref name="path"/> atomically (a crash leaves the old file or the new one),
    /// replacing what is there, under the file's lock (so it never interleaves with an update). When the file
    /// changes, the generation written is one above both this gallery's and the replaced file's.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="lockOptions">How long to wait for the lock; null for the default.</param>
    /// <exception cref="TimeoutException">Another writer held the lock for the whole timeout.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public void Save(string path, GalleryLockOptions? lockOptions = null)
    {
        string full = FullPath(path);
        using (GalleryLock.Acquire(full, (lockOptions ?? GalleryLockOptions.Default).Timeout, CancellationToken.None))
        {
            SaveFile(full);
        }
    }

    /// <summary>
    /// Reloads the gallery from <paramref name="path"/> if the file changed since this gallery last loaded or saved it
    /// (another process saved it); searches running meanwhile see the old contents or the new ones.
    /// </summary>
    /// <param name="path">The gallery file.</param>
    /// <returns>True if the gallery was reloaded.</returns>
    /// <exception cref="InvalidOperationException">The file changed but this gallery has unsaved changes, or the file now holds codes of another length.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a complete, intact gallery.</exception>
    public bool Refresh(string path)
    {
        string full = FullPath(path);
        EnterFileGate(Timeout.InfiniteTimeSpan, CancellationToken.None);
        try
        {
            IndexFile.Stamp stamp = IndexFile.TryReadStamp(full) ?? throw new FileNotFoundException($"'{full}' does not exist.", full);
            if (Matches(stamp))
            {
                return false;
            }

            Reload(full);
            return true;
        }
        finally
        {
            _fileGate.Release();
        }
    }

    /// <summary>
    /// Applies <paramref name="change"/> to this gallery and saves it to <paramref name="path"/>, under the file's
    /// exclusive lock: the way for a process that keeps a gallery in memory (a server) to change the file while other
    /// processes change it too. If the file changed since this gallery last loaded or saved it, the gallery is first
    /// reloaded from it; otherwise nothing is read. A missing file is created.
    /// </summary>
    /// <remarks>
    /// <para>The gallery is saved when it has changes after <paramref name="change"/> (made by it, or before the call).
    /// Each change <paramref name="change"/> makes is visible to this gallery's readers at once; the file shows all of
    /// them at once.</para>
    /// <para>If <paramref name="change"/> or the save throws, nothing is saved; a gallery that had no unsaved changes
    /// before the call is then reloaded from the file (if there is one), so it again holds what the file holds.</para>
    /// <para>One commit of an instance runs at a time; <paramref name="change"/> must not call <c>Commit</c> or
    /// <see cref="Refresh"/> of the same instance.</para>
    /// </remarks>
    /// <typeparam name="T">What <paramref name="change"/> returns.</typeparam>
    /// <param name="path">The gallery file.</param>
    /// <param name="change">Changes the gallery it is given (this one).</param>
    /// <param name="options">How long to wait for the lock; null for <see cref="GalleryLockOptions.Default"/>.</param>
    /// <param name="cancellationToken">Stops the wait for the lock.</param>
    /// <returns>What <paramref name="change"/> returned.</returns>
    /// <exception cref="TimeoutException">Another writer held the lock for the whole timeout.</exception>
    /// <exception cref="InvalidOperationException">The file changed but this gallery has unsaved changes (save or reload it first), the file holds codes of another length, or the call is nested in a commit of this gallery.</exception>
    /// <exception cref="InvalidDataException">The file is not a complete, intact gallery.</exception>
    public T Commit<T>(string path, Func<Gallery, T> change, GalleryLockOptions? options = null, CancellationToken cancellationToken = default)
    {
        string full = FullPath(path);
        Guard.NotNull(change);
        TimeSpan timeout = (options ?? GalleryLockOptions.Default).Timeout;
        var clock = Stopwatch.StartNew();
        EnterFileGate(timeout, cancellationToken);
        try
        {
            TimeSpan left = timeout == Timeout.InfiniteTimeSpan ? timeout : TimeSpan.FromTicks(Math.Max(0, (timeout - clock.Elapsed).Ticks));
            using (GalleryLock.Acquire(full, left, cancellationToken))
            {
                IndexFile.Stamp? stamp = IndexFile.TryReadStamp(full);
                if (stamp is { } onDisk && !Matches(onDisk))
                {
                    Reload(full);
                }

                bool cleanBefore = !HasUnsavedChanges;
                Volatile.Write(ref _committingThread, Environment.CurrentManagedThreadId);
                try
                {
                    T result = change(this);
                    if (HasUnsavedChanges)
                    {
                        SaveFile(full);
                    }

                    return result;
                }
                catch
                {
                    if (cleanBefore && stamp is not null)
                    {
                        TryReload(full);
                    }

                    throw;
                }
                finally
                {
                    Volatile.Write(ref _committingThread, 0);
                }
            }
        }
        finally
        {
            _fileGate.Release();
        }
    }

    /// <summary>As <see cref="Commit{T}(string, Func{Gallery, T}, GalleryLockOptions?, CancellationToken)"/>, for a change that returns nothing.</summary>
    /// <param name="path">The gallery file.</param>
    /// <param name="change">Changes the gallery it is given (this one).</param>
    /// <param name="options">How long to wait for the lock; null for the default.</param>
    /// <param name="cancellationToken">Stops the wait for the lock.</param>
    public void Commit(string path, Action<Gallery> change, GalleryLockOptions? options = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(change);
        Commit(path, g =>
        {
            change(g);
            return 0;
        }, options, cancellationToken);
    }

    private static string FullPath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Path.GetFullPath(path);
    }

    private static string CatalogPath(string fullPath) => Galleries.LegacyCatalog.PathFor(fullPath);

    /// <summary>Reads a gallery file, or a version 1 index with its catalog.</summary>
    private static Loaded ReadFile(string full)
    {
        using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16);
        try
        {
            IndexFile.Contents contents = IndexFile.Read(stream, GalleryFile.Kind, keepMetadata: true);
            long extra = stream.Length - stream.Position;
            if (extra != 0)
            {
                throw new InvalidDataException($"Corrupt gallery: {extra} unexpected bytes follow the end of '{full}'.");
            }

            return contents.Version == IndexFile.Version
                ? new Loaded(Galleries.LegacyCatalog.Read(full, contents.Store), 0, null, CatalogPath(full))
                : new Loaded(GalleryFile.Read(contents), contents.Generation, contents.Checksum, null);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException && !e.Message.Contains(full, StringComparison.Ordinal))
        {
            // Name the file: the readers work on streams and cannot.
            throw new InvalidDataException($"{full}: {e.Message}", e);
        }
    }

    /// <summary>Whether the file of <paramref name="stamp"/> holds what this gallery last loaded or saved.</summary>
    private bool Matches(IndexFile.Stamp stamp)
    {
        using (ReadLock())
        {
            return stamp.Version == IndexFile.VersionWithMetadata && _checksum == stamp.Checksum && _generation == stamp.Generation;
        }
    }

    /// <summary>Replaces the contents with the file's; refuses to drop unsaved changes.</summary>
    private void Reload(string full)
    {
        if (HasUnsavedChanges)
        {
            throw new InvalidOperationException($"'{full}' changed since this gallery loaded or saved it, and the gallery has unsaved changes; save them elsewhere or load the file again.");
        }

        Loaded loaded = ReadFile(full);
        if (loaded.Contents.CodeLength != CodeLength)
        {
            throw new InvalidOperationException($"'{full}' now holds {loaded.Contents.CodeLength}-bit codes; this gallery holds {CodeLength}-bit codes. Load it as a new gallery.");
        }

        Replace(loaded);
    }

    /// <summary>Rolls a failed commit back to the file's contents, dropping its changes.</summary>
    private void TryReload(string full)
    {
        try
        {
            Replace(ReadFile(full));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // The gallery keeps the failed change, marked unsaved.
        }
    }

    private void Replace(Loaded loaded)
    {
        using (WriteLock())
        {
            _contents = loaded.Contents;
            _generation = loaded.Generation;
            _checksum = loaded.Checksum;
            _legacyCatalog = loaded.LegacyCatalog;
            _version++;
            _savedVersion = _version;
        }
    }

    /// <summary>Saves to <paramref name="full"/>; the caller holds the file's lock.</summary>
    private void SaveFile(string full)
    {
        IndexFile.Stamp? onDisk;
        try
        {
            onDisk = IndexFile.TryReadStamp(full);
        }
        catch (InvalidDataException)
        {
            onDisk = null; // a damaged file is simply replaced
        }

        GalleryRows rows;
        long version, generation;
        using (ReadLock())
        {
            bool same = onDisk is { } stamp && stamp.Version == IndexFile.VersionWithMetadata && stamp.Checksum == _checksum && stamp.Generation == _generation;
            if (same && _version == _savedVersion)
            {
                return; // the file already holds exactly this
            }

            rows = _contents.Rows();
            version = _version;
            generation = Math.Max(_generation, onDisk?.Generation ?? -1) + 1;
        }

        ulong checksum = 0;
        AtomicFile.Write(full, stream => checksum = GalleryFile.Write(stream, rows, generation));
        using (WriteLock())
        {
            if (version >= _savedVersion)
            {
                _generation = generation;
                _checksum = checksum;
                _savedVersion = version;
                _legacyCatalog = null;
            }
        }
    }

    private void EnterFileGate(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _committingThread) == Environment.CurrentManagedThreadId)
        {
            throw new InvalidOperationException("A change passed to Commit cannot call Commit or Refresh of the same gallery.");
        }

        if (!_fileGate.Wait(timeout, cancellationToken))
        {
            throw new TimeoutException($"Another thread of this process kept committing to this gallery for the whole timeout ({timeout.TotalSeconds:0.###} s).");
        }
    }

    private LockedCodeStore.ReadScope ReadLock()
    {
        _lock.EnterReadLock();
        return new LockedCodeStore.ReadScope(_lock);
    }

    private LockedCodeStore.WriteScope WriteLock()
    {
        _lock.EnterWriteLock();
        return new LockedCodeStore.WriteScope(_lock);
    }

    /// <summary>What a file read gives.</summary>
    private sealed record Loaded(GalleryContents Contents, long Generation, ulong? Checksum, string? LegacyCatalog);
}
