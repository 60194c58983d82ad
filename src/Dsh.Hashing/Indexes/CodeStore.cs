using Dsh.Hashing.Codes;

namespace Dsh.Hashing.Indexes;

/// <summary>
/// The rows an index holds: ids and packed codes in parallel arrays (slot = row), plus id → slot.
/// Removal moves the last row into the freed slot, so rows stay contiguous. Not thread-safe: the
/// owning index serialises writers against readers.
/// </summary>
internal sealed class CodeStore
{
    private readonly Dictionary<long, int> _slotOf;
    private ulong[] _codes;
    private long[] _ids;

    public CodeStore(int codeLength, int capacity = 0)
    {
        CodeLength = codeLength;
        WordsPerCode = (codeLength + 63) >> 6;
        _codes = new ulong[checked(Math.Max(capacity, 0) * WordsPerCode)];
        _ids = new long[Math.Max(capacity, 0)];
        _slotOf = new Dictionary<long, int>(Math.Max(capacity, 0));
    }

    /// <summary>Wraps arrays read from a file (already validated: no duplicate ids).</summary>
    public CodeStore(int codeLength, long[] ids, ulong[] codes, int count)
        : this(codeLength)
    {
        _ids = ids;
        _codes = codes;
        Count = count;
        _slotOf.EnsureCapacity(count);
        for (int i = 0; i < count; i++)
        {
            if (!_slotOf.TryAdd(ids[i], i))
            {
                throw new InvalidDataException($"Id {ids[i]} appears twice (rows {_slotOf[ids[i]]} and {i}).");
            }
        }
    }

    public int CodeLength { get; }

    public int WordsPerCode { get; }

    public int Count { get; private set; }

    /// <summary>All rows, back to back.</summary>
    public ReadOnlySpan<ulong> Codes => _codes.AsSpan(0, Count * WordsPerCode);

    /// <summary>The id of each row.</summary>
    public ReadOnlySpan<long> Ids => _ids.AsSpan(0, Count);

    public ReadOnlySpan<ulong> Row(int slot) => _codes.AsSpan(slot * WordsPerCode, WordsPerCode);

    public bool Contains(long id) => _slotOf.ContainsKey(id);

    public bool TryGetSlot(long id, out int slot) => _slotOf.TryGetValue(id, out slot);

    /// <summary>Appends one row; the caller has checked the code length.</summary>
    /// <returns>The new row's slot.</returns>
    public int Add(long id, ReadOnlySpan<ulong> words)
    {
        if (_slotOf.ContainsKey(id))
        {
            throw DuplicateId(id, "id");
        }

        EnsureCapacity(Count + 1);
        int slot = Count;
        words.CopyTo(_codes.AsSpan(slot * WordsPerCode, WordsPerCode));
        _ids[slot] = id;
        _slotOf.Add(id, slot);
        Count++;
        return slot;
    }

    /// <summary>Appends many rows, all or none: every id is checked before anything is written.</summary>
    /// <returns>The slot of the first new row.</returns>
    public int AddRange(IReadOnlyList<long> ids, ReadOnlySpan<ulong> rows)
    {
        var seen = new HashSet<long>(ids.Count);
        for (int i = 0; i < ids.Count; i++)
        {
            long id = ids[i];
            if (_slotOf.ContainsKey(id) || !seen.Add(id))
            {
                throw DuplicateId(id, "ids");
            }
        }

        int first = Count;
        EnsureCapacity(checked(Count + ids.Count));
        rows.CopyTo(_codes.AsSpan(first * WordsPerCode));
        for (int i = 0; i < ids.Count; i++)
        {
            _ids[first + i] = ids[i];
            _slotOf.Add(ids[i], first + i);
        }

        Count += ids.Count;
        return first;
    }

    /// <summary>Removes <paramref name="id"/>; the last row moves into its slot.</summary>
    /// <param name="id">The id to remove.</param>
    /// <param name="slot">The freed slot (now holding the former last row, unless it was the last).</param>
    /// <param name="movedFrom">The former slot of the row that moved, or -1 when none moved.</param>
    public bool Remove(long id, out int slot, out int movedFrom)
    {
        movedFrom = -1;
        if (!_slotOf.Remove(id, out slot))
        {
            return false;
        }

        int last = Count - 1;
        if (slot != last)
        {
            _codes.AsSpan(last * WordsPerCode, WordsPerCode).CopyTo(_codes.AsSpan(slot * WordsPerCode, WordsPerCode));
            _ids[slot] = _ids[last];
            _slotOf[_ids[slot]] = slot;
            movedFrom = last;
        }

        Count = last;
        return true;
    }

    private void EnsureCapacity(int rows)
    {
        if (rows <= _ids.Length)
        {
            return;
        }

        int capacity = (int)Math.Min(Array.MaxLength / WordsPerCode, Math.Max(rows, Math.Max(16L, _ids.Length * 2L)));
        if (capacity < rows)
        {
            throw new InvalidOperationException($"An index of {CodeLength}-bit codes holds at most {capacity} codes.");
        }

        Array.Resize(ref _ids, capacity);
        Array.Resize(ref _codes, capacity * WordsPerCode);
    }

    private static ArgumentException DuplicateId(long id, string parameter) =>
        new($"Id {id} is already in the index; ids are unique (Remove it first to replace its code).", parameter);
}
