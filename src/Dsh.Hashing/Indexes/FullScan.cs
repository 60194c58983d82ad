using Dsh.Hashing.Kernels.BitSliced;
using Dsh.Hashing.Kernels;
using Dsh.Hashing.Search;

namespace Dsh.Hashing.Indexes;

/// <summary>
/// Scans every row of a <see cref="CodeStore"/> with the chosen kernel. Where the CPU runs the bit-sliced
/// kernel it keeps a transposed copy of the rows and uses it by default; every write to the store goes
/// through <see cref="Add"/>, <see cref="AddRange"/> and <see cref="Remove"/> here (under the owner's
/// write lock), so the two never drift apart. <see cref="HammingIndex"/> searches with it;
/// <see cref="MultiIndexHashIndex"/> falls back to it when probing would cost more.
/// </summary>
internal sealed class FullScan
{
    /// <summary>Bytes of row-major codes a group scan keeps in cache while it scans them for each query.</summary>
    private const int BlockBytes = 32 * 1024;

    /// <summary>Bit-sliced blocks (512 codes each) a group scan covers between cancellation checks.</summary>
    private const int SlicedBlocksPerStep = 256;

    private readonly CodeStore _store;

    /// <summary>The transposed mirror of the store, or null where the bit-sliced kernel cannot run.</summary>
    private readonly BitSlicedStore? _sliced;
    private volatile HammingKernelKind _kernel;

    public FullScan(CodeStore store)
    {
        _store = store;
        if (BitSlicedStore.IsSupported)
        {
            _sliced = new BitSlicedStore(store.CodeLength);
            _sliced.AppendRange(store.Codes);
            _kernel = HammingKernelKind.BitSliced;
        }
        else
        {
            _kernel = HammingKernels.Best(store.CodeLength);
        }
    }

    /// <summary>The kernel scans use; see <see cref="HammingIndex.Kernel"/>.</summary>
    public HammingKernelKind Kernel
    {
        get => _kernel;
        set
        {
            if (!Enum.IsDefined(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Not a Hamming kernel.");
            }

            if (!HammingKernels.IsSupported(value) || (value == HammingKernelKind.BitSliced && _sliced is null))
            {
                throw new PlatformNotSupportedException($"This CPU cannot run the {value} Hamming kernel.");
            }

            _kernel = value;
        }
    }

    // Writes: the owners (under their write lock) change the store only through these, so the transposed
    // copy never drifts from it. Room in the copy is made first: a failure leaves both unchanged.

    /// <summary>Adds one row to the store and the copy.</summary>
    /// <returns>The new row's slot.</returns>
    public int Add(long id, ReadOnlySpan<ulong> words)
    {
        Reserve((long)_store.Count + 1);
        int slot = _store.Add(id, words);
        _sliced?.AppendRange(words);
        return slot;
    }

    /// <summary>Adds rows (back to back, one a id) to the store and the copy, all or none.</summary>
    /// <returns>The slot of the first new row.</returns>
    public int AddRange(long[] ids, ReadOnlySpan<ulong> rows)
    {
        Reserve((long)_store.Count + ids.Length);
        int first = _store.AddRange(ids, rows);
        _sliced?.AppendRange(rows);
        return first;
    }

    /// <summary>Removes <paramref name="id"/> from the store and the copy (see <see cref="CodeStore.Remove"/>).</summary>
    public bool Remove(long id, out int slot, out int movedFrom)
    {
        if (!_store.Remove(id, out slot, out movedFrom))
        {
            return false;
        }

        if (_sliced is not null)
        {
            // The store moved its last row into the freed slot; so does the copy.
            if (movedFrom >= 0)
            {
                _sliced.CopyRow(movedFrom, slot);
            }

            _sliced.RemoveLast();
        }

        return true;
    }

    private void Reserve(long rows)
    {
        if (rows > int.MaxValue)
        {
            throw new InvalidOperationException($"An index holds at most {int.MaxValue} codes.");
        }

        _sliced?.EnsureCapacity((int)rows);
    }

    /// <summary>Scans every row for <paramref name="query"/> (read <see cref="Kernel"/> once and pass it).</summary>
    public void ScanAll(HammingKernelKind kernel, ReadOnlySpan<ulong> query, NeighborSink sink)
    {
        if (kernel == HammingKernelKind.BitSliced)
        {
            _sliced!.Scan(_sliced.Prepare(query), 0, _sliced.BlockCount, sink);
        }
        else
        {
            HammingKernels.Scan(kernel, query, _store.Codes, _store.WordsPerCode, 0, _store.Count, sink);
        }
    }

    /// <summary>
    /// Scans every row for a group of queries, block by block, so that each block is read from memory once
    /// for the whole group and from cache for the rest.
    /// </summary>
    public void ScanGroup(HammingKernelKind kernel, ReadOnlySpan<BinaryCode> queries, NeighborSink[] sinks, CancellationToken cancellationToken)
    {
        if (kernel == HammingKernelKind.BitSliced)
        {
            var prepared = new BitSlicedQuery[queries.Length];
            for (int j = 0; j < queries.Length; j++)
            {
                prepared[j] = _sliced!.Prepare(queries[j].Words);
            }

            for (int start = 0; start < _sliced!.BlockCount; start += SlicedBlocksPerStep)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _sliced.Scan(prepared, sinks, start, Math.Min(SlicedBlocksPerStep, _sliced.BlockCount - start));
            }

            return;
        }

        int count = _store.Count, w = _store.WordsPerCode;
        int block = Math.Max(64, BlockBytes / (w * sizeof(ulong)));
        ReadOnlySpan<ulong> codes = _store.Codes;
        for (int start = 0; start < count; start += block)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int length = Math.Min(block, count - start);
            for (int j = 0; j < queries.Length; j++)
            {
                HammingKernels.Scan(kernel, queries[j].Words, codes, w, start, length, sinks[j]);
            }
        }
    }
}
