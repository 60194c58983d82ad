namespace Dsh.Hashing.Indexes.Mih;

/// <summary>
/// The m substring tables of a multi-index hashing index, over the rows of a <see cref="CodeStore"/>.
/// </summary>
/// <remarks>
/// <para>Tables hold stable <i>row numbers</i>, not slots, so that the store's swap-with-last removal
/// costs no table edits: rows 0 .. <see cref="BuiltRows"/> - 1 are the slots at the last build (in the
/// <see cref="CsrTable"/>s), later adds get the next numbers (in the <see cref="DynamicTable"/>s), and two
/// maps follow the store's moves (row → slot, -1 once removed; slot → row).</para>
/// <para>Removed rows stay in the tables as tombstones (their slot is -1). When adds since the build plus
/// tombstones exceed <c>max(1024, Count / 8)</c> the tables are rebuilt from the store, inside the write.</para>
/// <para>Writers are serialised by the owning index; readers run concurrently with each other only.</para>
/// </remarks>
internal sealed class MihTables
{
    private readonly CsrTable[] _built;
    private readonly DynamicTable[] _recent;
    private int[] _slotOfRow = Array.Empty<int>();
    private int[] _rowOfSlot = Array.Empty<int>();

    /// <param name="layout">The substrings.</param>
    /// <param name="store">The rows to build from.</param>
    /// <param name="previousBuilds">Builds of the tables these replace (so <see cref="Builds"/> counts across a change of m).</param>
    public MihTables(SubstringLayout layout, CodeStore store, int previousBuilds = 0)
    {
        Layout = layout;
        Builds = previousBuilds;
        _built = new CsrTable[layout.Count];
        _recent = new DynamicTable[layout.Count];
        for (int j = 0; j < layout.Count; j++)
        {
            _recent[j] = new DynamicTable();
        }

        Build(store);
    }

    public SubstringLayout Layout { get; }

    /// <summary>Rows in the built (CSR) part.</summary>
    public int BuiltRows { get; private set; }

    /// <summary>Rows added since the last build.</summary>
    public int RecentRows => _recent[0].Count;

    /// <summary>Row numbers in use, live or removed: visited marks need this many entries.</summary>
    public int RowNumbers => BuiltRows + RecentRows;

    /// <summary>Removed rows still listed in the tables.</summary>
    public int Tombstones { get; private set; }

    /// <summary>Changes since the last build (recent rows plus tombstones).</summary>
    public int Pending => RecentRows + Tombstones;

    /// <summary>How many builds happened, including those of the tables these replaced (for tests).</summary>
    public int Builds { get; private set; }

    /// <summary>Bytes held by the tables and maps (approximate).</summary>
    public long Bytes
    {
        get
        {
            long bytes = (4L * _slotOfRow.Length) + (4L * _rowOfSlot.Length);
            foreach (CsrTable t in _built)
            {
                bytes += t.Bytes;
            }

            return bytes;
        }
    }

    /// <summary>Pending changes that trigger a rebuild.</summary>
    public static int RebuildThreshold(int count) => Math.Max(1024, count / 8);

    public CsrTable Built(int table) => _built[table];

    public DynamicTable Recent(int table) => _recent[table];

    /// <summary>The map row number → slot (-1 once removed).</summary>
    public int[] SlotOfRow => _slotOfRow;

    /// <summary>Rebuilds every table from the store: row number = slot.</summary>
    public void Build(CodeStore store)
    {
        int n = store.Count;
        var keys = new ulong[n];
        for (int j = 0; j < Layout.Count; j++)
        {
            for (int slot = 0; slot < n; slot++)
            {
                keys[slot] = Layout.Extract(store.Row(slot), j);
            }

            _built[j] = CsrTable.Build(keys, Layout.Length(j));
            _recent[j].Clear();
        }

        int capacity = Math.Max(n, 16);
        _slotOfRow = new int[capacity];
        _rowOfSlot = new int[capacity];
        for (int i = 0; i < n; i++)
        {
            _slotOfRow[i] = i;
            _rowOfSlot[i] = i;
        }

        BuiltRows = n;
        Tombstones = 0;
        Builds++;
    }

    /// <summary>Slots <paramref name="first"/> .. <paramref name="first"/> + <paramref name="count"/> - 1 were appended to the store.</summary>
    public void Added(CodeStore store, int first, int count)
    {
        if ((long)Pending + count > RebuildThreshold(store.Count))
        {
            Build(store);
            return;
        }

        int rows = RowNumbers;
        EnsureCapacity(ref _slotOfRow, rows + count);
        EnsureCapacity(ref _rowOfSlot, first + count);
        for (int i = 0; i < count; i++)
        {
            int slot = first + i, row = rows + i;
            ReadOnlySpan<ulong> code = store.Row(slot);
            for (int j = 0; j < Layout.Count; j++)
            {
                _recent[j].Add(Layout.Extract(code, j));
            }

            _slotOfRow[row] = slot;
            _rowOfSlot[slot] = row;
        }
    }

    /// <summary>The store removed the row in <paramref name="slot"/> and moved the row from <paramref name="movedFrom"/> (or -1) into it.</summary>
    public void Removed(CodeStore store, int slot, int movedFrom)
    {
        _slotOfRow[_rowOfSlot[slot]] = -1;
        Tombstones++;
        if (movedFrom >= 0)
        {
            int row = _rowOfSlot[movedFrom];
            _rowOfSlot[slot] = row;
            _slotOfRow[row] = slot;
        }

        if (Pending > RebuildThreshold(store.Count))
        {
            Build(store);
        }
    }

    private static void EnsureCapacity(ref int[] array, int length)
    {
        if (array.Length < length)
        {
            Array.Resize(ref array, (int)Math.Min(Array.MaxLength, Math.Max(length, array.Length * 2L)));
        }
    }
}
