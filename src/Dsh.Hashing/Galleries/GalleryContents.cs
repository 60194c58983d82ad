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
    /// <summary>The item of each id, as its two strings (no object an item: a million items load faster).</summary>
    private readonly Dictionary<long, Entry> _items;
    private readonly Dictionary<string, long> _idByKey;

    /// <summary>Each category in use, with the one string instance every item of it shares.</summary>
    private readonly Dictionary<string, Category> _categories;

    public GalleryContents(int codeLength, GalleryProperties properties)
    {
        Index = new HammingIndex(codeLength);
        Properties = properties;
        _items = [];
        _idByKey = new Dictionary<string, long>(StringComparer.Ordinal);
        _categories = new Dictionary<string, Category>(StringComparer.Ordinal);
    }

    /// <summary>Contents read from a file: the key and category of each row; the caller has checked every string and <paramref name="nextId"/>.</summary>
    /// <exception cref="InvalidDataException">Two items have the same key.</exception>
    public GalleryContents(CodeStore store, string[] keys, string?[] categories, long nextId, GalleryProperties properties)
    {
        Index = HammingIndex.FromStore(store);
        Properties = properties;
        NextId = nextId;
        _items = new Dictionary<long, Entry>(keys.Length);
        _idByKey = new Dictionary<string, long>(keys.Length, StringComparer.Ordinal);
        _categories = new Dictionary<string, Category>(StringComparer.Ordinal);
        ReadOnlySpan<long> ids = store.Ids;
        Category? last = null;
        for (int row = 0; row < keys.Length; row++)
        {
            if (!_idByKey.TryAdd(keys[row], ids[row]))
            {
                throw new InvalidDataException($"Corrupt gallery: the key {GalleryText.Quote(keys[row])} belongs to two ids ({_idByKey[keys[row]]} and {ids[row]}); keys are unique.");
            }

            string? category = categories[row];
            if (category is not null)
            {
                // Neighbouring rows mostly share a category (and its string): count without a lookup.
                if (last is not null && ReferenceEquals(last.Name, category))
                {
                    last.Items++;
                }
                else
                {
                    category = Tally(category, +1);
                    last = _categories[category];
                }
            }

            _items.Add(ids[row], new Entry(keys[row], category));
        }
    }

    public HammingIndex Index { get; }

    public int CodeLength => Index.CodeLength;

    public int Count => _items.Count;

    public GalleryProperties Properties { get; set; }

    /// <summary>The id <see cref="Add(BinaryCode, GalleryItem)"/> assigns next: one more than the largest id ever stored.</summary>
    public long NextId { get; private set; }

    public bool Contains(long id) => _items.ContainsKey(id);

    public bool TryGetItem(long id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GalleryItem? item)
    {
        item = _items.TryGetValue(id, out Entry entry) ? entry.ToItem() : null;
        return item is not null;
    }

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
        Guard.SameCodeLength(CodeLength, code);
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
        if (codes.CodeLength != CodeLength)
        {
            throw new ArgumentException($"'codes' holds {codes.CodeLength}-bit codes but the gallery holds {CodeLength}-bit codes.", nameof(codes));
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
        if (!_items.Remove(id, out Entry item))
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
        var all = new KeyValuePair<long, GalleryItem>[_items.Count];
        int i = 0;
        foreach ((long id, Entry entry) in _items)
        {
            all[i++] = new(id, entry.ToItem());
        }

        Array.Sort(all, static (a, b) => a.Key.CompareTo(b.Key));
        return all;
    }

    public Dictionary<string, int> CategoryCounts() =>
        _categories.ToDictionary(pair => pair.Key, pair => pair.Value.Items, StringComparer.Ordinal);

    /// <summary>A copy of everything a save writes, rows in the index's order.</summary>
    public GalleryRows Rows()
    {
        IndexSnapshot snapshot = Index.Snapshot();
        var keys = new string[snapshot.Count];
        var categories = new string?[snapshot.Count];
        for (int row = 0; row < keys.Length; row++)
        {
            (keys[row], categories[row]) = _items[snapshot.Ids[row]];
        }

        return new GalleryRows(snapshot, keys, categories, NextId, Properties);
    }

    private void Store(long id, GalleryItem item)
    {
        _items.Add(id, new Entry(item.Key, item.Category is null ? null : Tally(item.Category, +1)));
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

    /// <summary>An item's strings; the category is the gallery's shared instance.</summary>
    private readonly record struct Entry(string Key, string? Category)
    {
        public GalleryItem ToItem() => GalleryItem.Trusted(Key, Category);
    }

    private sealed class Category(string name)
    {
        public string Name { get; } = name;

        public int Items { get; set; }
    }
}
