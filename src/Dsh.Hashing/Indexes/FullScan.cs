using Dsh.Hashing.Kernels;
using Dsh.Hashing.Kernels.BitSliced;
using Dsh.Hashing.Search;

namespace Dsh.Hashing.Indexes;

/// <summary>
/// Scans every row of a <see cref="CodeStore"/> with the chosen kernel. Where the CPU runs the bit-sliced
/// kernel it keeps the transposed copy of the rows in step with the store (the owner reports each write
/// under its write lock), and uses it by default. <see cref="HammingIndex"/> searches with it;
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
            _sliced = new BitSlicedStore(store.Bits);
            _sliced.AppendRange(store.Codes);
            _kernel = HammingKernelKind.BitSliced;
        }
        else
        {
            _kernel = HammingKernels.Best(store.Bits);
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

    /// <summary>
    /// Makes room for <paramref name="rows"/> rows in the transposed copy. Owners call it before they change
    /// the store, so that <see cref="Appended"/> never allocates and a failure leaves both unchanged.
    /// </summary>
    public void Reserve(long rows)
    {
        if (rows > int.MaxValue)
        {
            throw new InvalidOperationException($"An index holds at most {int.MaxValue} codes.");
        }

        _sliced?.EnsureCapacity((int)rows);
    }

    /// <summary>The store appended <paramref name="rows"/> (back to back) at its end.</summary>
    public void Appended(ReadOnlySpan<ulong> rows) => _sliced?.AppendRange(rows);

    /// <summary>The store removed the row in <paramref name="slot"/> and moved its last row there (unless <paramref name="movedFrom"/> is -1).</summary>
    public void Removed(int slot, int movedFrom)
    {
        if (_sliced is null)
        {
            return;
        }

        if (movedFrom >= 0)
        {
            _sliced.CopyRow(movedFrom, slot);
        }

        _sliced.RemoveLast();
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
