using Dsh.Hashing.Indexes;
using Dsh.Hashing.Internal;

namespace Dsh.Hashing.Galleries;

/// <summary>
/// What a <see cref="Gallery"/> holds: the codes (a <see cref="HammingIndex"/>), the item of each id, id by key,
/// the categories with their counts, and the next id to assign. Not thread-safe: the gallery locks around
/// it. Every write checks all its arguments before it changes anything, so a write that throws for bad
/// input changes nothing.
/// </summary>
internal sealed class GalleryContents
{
    private readonly Dictionary<long, GalleryItem> _items;
    private readonly Dictionary<string, long> _idByKey;

    /// <summary>Each category in use, with the one string instance every item of it shares.</summary>
    private readonly Dictionary<string, Category> _categories;

    public GalleryContents(int bits, GalleryProperties properties)
    {
        Index = new HammingIndex(bits);
        Properties = properties;
        _items = [];
        _idByKey = new Dictionary<string, long>(StringComparer.Ordinal);
        _categories = new Dictionary<string, Category>(StringComparer.Ordinal);
    }

    /// <summary>Contents read from a file; the caller has checked every item and <paramref name="nextId"/>.</summary>
    /// <exception cref="InvalidDataException">Two items have the same key.</exception>
    public GalleryContents(CodeStore store, GalleryItem[] items, long nextId, GalleryProperties properties)
    {
        Index = HammingIndex.FromStore(store);
        Properties = properties;
        NextId = nextId;
        _items = new Dictionary<long, GalleryItem>(items.Length);
        _idByKey = new Dictionary<string, long>(items.Length, StringComparer.Ordinal);
        _categories = new Dictionary<string, Category>(StringComparer.Ordinal);
        ReadOnlySpan<long> ids = store.Ids;
        for (int row = 0; row < items.Length; row++)
        {
            GalleryItem item = items[row];
            if (!_idByKey.TryAdd(item.Key, ids[row]))
            {
                throw new InvalidDataException($"Corrupt gallery: the key {GalleryText.Quote(item.Key)} belongs to two ids ({_idByKey[item.Key]} and {ids[row]}); keys are unique.");
            }

            _items.Add(ids[row], item);
            if (item.Category is not null)
            {
                Tally(item.Category, +1);
            }
        }
    }

    public HammingIndex Index { get; }

    public int Bits => Index.Bits;

    public int Count => _items.Count;

    public GalleryProperties Properties { get; set; }

    /// <summary>The id <see cref="Add(BinaryCode, GalleryItem)"/> assigns next: one more than the largest id ever stored.</summary>
    public long NextId { get; private set; }

    public bool Contains(long id) => _items.ContainsKey(id);

    public bool TryGetItem(long id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GalleryItem? item) => _items.TryGetValue(id, out item);

    public bool TryFindKey(string key, out long id) => _idByKey.TryGetValue(key, out id);

    public long Add(BinaryCode code, GalleryItem item)
    {
        if (NextId == long.MaxValue)
        {
            throw new InvalidOperationException($"No id is left to assign: ids up to {long.MaxValue - 1} have been used.");
        }

        long id = NextId;
        Add(id, code, item);
        return id;
    }

    public void Add(long id, BinaryCode code, GalleryItem item)
    {
        Guard.SameBits(Bits, code);
        Guard.NotNull(item);
        if (id == long.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"Gallery ids are below {long.MaxValue}.");
        }

        if (_items.ContainsKey(id))
        {
            throw new ArgumentException($"Id {id} is already in the gallery; ids are unique (Remove it first to replace it).", nameof(id));
        }

        if (_idByKey.TryGetValue(item.Key, out long holder))
        {
            throw new ArgumentException($"The key {GalleryText.Quote(item.Key)} is already in the gallery (id {holder}); keys are unique.", nameof(item));
        }

        Index.Add(id, code);
        Store(id, item);
        NextId = Math.Max(NextId, id + 1);
    }

    public long[] AddRange(BinaryCodeSet codes, IReadOnlyList<GalleryItem> items)
    {
        Guard.NotNull(codes);
        Guard.NotNull(items);
        if (codes.Bits != Bits)
        {
            throw new ArgumentException($"'codes' holds {codes.Bits}-bit codes but the gallery holds {Bits}-bit codes.", nameof(codes));
        }

        GalleryItem[] batch = items.ToArray();
        if (batch.Length != codes.Count)
        {
            throw new ArgumentException($"{batch.Length} items for {codes.Count} codes; give one item a code.", nameof(items));
        }

        if (batch.Length > long.MaxValue - 1 - NextId)
        {
            throw new InvalidOperationException($"Not enough ids are left to assign {batch.Length} of them.");
        }

        var seen = new HashSet<string>(batch.Length, StringComparer.Ordinal);
        for (int i = 0; i < batch.Length; i++)
        {
            GalleryItem item = batch[i] ?? throw new ArgumentException($"items[{i}] is null.", nameof(items));
            if (_idByKey.TryGetValue(item.Key, out long holder))
            {
                throw new ArgumentException($"items[{i}]: the key {GalleryText.Quote(item.Key)} is already in the gallery (id {holder}); keys are unique.", nameof(items));
            }

            if (!seen.Add(item.Key))
            {
                throw new ArgumentException($"items[{i}]: the key {GalleryText.Quote(item.Key)} appears twice in the batch; keys are unique.", nameof(items));
            }
        }

        var ids = new long[batch.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = NextId + i;
        }

        Index.AddRange(ids, codes);
        for (int i = 0; i < ids.Length; i++)
        {
            Store(ids[i], batch[i]);
        }

        NextId += ids.Length;
        return ids;
    }

    public bool Remove(long id)
    {
        if (!_items.Remove(id, out GalleryItem? item))
        {
            return false;
        }

        Index.Remove(id);
        _idByKey.Remove(item.Key);
        if (item.Category is not null)
        {
            Tally(item.Category, -1);
        }

        return true;
    }

    /// <summary>Every item, ordered by id.</summary>
    public KeyValuePair<long, GalleryItem>[] ItemsById()
    {
        KeyValuePair<long, GalleryItem>[] all = _items.ToArray();
        Array.Sort(all, static (a, b) => a.Key.CompareTo(b.Key));
        return all;
    }

    public Dictionary<string, int> CategoryCounts() =>
        _categories.ToDictionary(pair => pair.Key, pair => pair.Value.Items, StringComparer.Ordinal);

    /// <summary>A copy of everything a save writes, rows in the index's order.</summary>
    public GalleryRows Rows()
    {
        IndexSnapshot snapshot = Index.Snapshot();
        var items = new GalleryItem[snapshot.Count];
        for (int row = 0; row < items.Length; row++)
        {
            items[row] = _items[snapshot.Ids[row]];
        }

        return new GalleryRows(snapshot, items, NextId, Properties);
    }

    private void Store(long id, GalleryItem item)
    {
        if (item.Category is not null)
        {
            string shared = Tally(item.Category, +1);
            if (!ReferenceEquals(shared, item.Category))
            {
                item = GalleryItem.Trusted(item.Key, shared);
            }
        }

        _items.Add(id, item);
        _idByKey.Add(item.Key, id);
    }

    /// <summary>Adds <paramref name="delta"/> to a category's count, dropping it at zero.</summary>
    /// <returns>The category's shared string.</returns>
    private string Tally(string name, int delta)
    {
        if (!_categories.TryGetValue(name, out Category? category))
        {
            category = new Category(name);
            _categories.Add(name, category);
        }

        category.Items += delta;
        if (category.Items == 0)
        {
            _categories.Remove(name);
        }

        return category.Name;
    }

    private sealed class Category(string name)
    {
        public string Name { get; } = name;

        public int Items { get; set; }
    }
}
