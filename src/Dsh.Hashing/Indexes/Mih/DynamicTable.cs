namespace Dsh.Hashing.Indexes.Mih;

/// <summary>
/// The part of one substring table for rows added since the last build: a map from substring value to
/// the newest entry, and a chain of older entries with the same value. Entry <c>e</c> is the
/// <c>e</c>-th row added since the build, so entries need no storage of their own beyond the chain.
/// </summary>
internal sealed class DynamicTable
{
    private readonly Dictionary<ulong, int> _newest = new();
    private int[] _older = Array.Empty<int>();
    private int _count;

    /// <summary>Entries added since the last <see cref="Clear"/>.</summary>
    public int Count => _count;

    /// <summary>Appends entry <see cref="Count"/> under <paramref name="key"/>.</summary>
    public void Add(ulong key)
    {
        if (_count == _older.Length)
        {
            Array.Resize(ref _older, Math.Max(16, _older.Length * 2));
        }

        ref int head = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_newest, key, out bool exists);
        _older[_count] = exists ? head : -1;
        head = _count;
        _count++;
    }

    /// <summary>The newest entry under <paramref name="key"/>, or -1; follow with <see cref="Older"/>.</summary>
    public int First(ulong key) => _count != 0 && _newest.TryGetValue(key, out int e) ? e : -1;

    /// <summary>The next older entry with the same value as <paramref name="entry"/>, or -1.</summary>
    public int Older(int entry) => _older[entry];

    public void Clear()
    {
        _newest.Clear();
        _newest.TrimExcess();
        _older = Array.Empty<int>();
        _count = 0;
    }
}
