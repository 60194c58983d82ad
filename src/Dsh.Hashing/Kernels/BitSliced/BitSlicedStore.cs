using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Runtime.Intrinsics;

namespace Dsh.Hashing.Kernels.BitSliced;

/// <summary>
/// Codes stored transposed ("bit-sliced") for the plane scan in <c>BitSlicedStore.Scan.cs</c>.
/// Rows are grouped in blocks of <see cref="BlockRows"/>; block b holds, for every bit position j in
/// 0 .. codeLength-1, one 512-bit plane (8 words) whose bit r is bit j of row b*512 + r, followed by one
/// all-zero plane (index <c>codeLength</c>) that queries use as padding. Every plane is 64-byte aligned.
/// Invariant: every bit of every slot at or past <see cref="Count"/> is zero.
/// </summary>
/// <remarks>
/// The store is a mirror: the owner keeps its row-major codes as the source of truth and repeats every
/// append, move and removal here (under its write lock); scans only read.
/// </remarks>
internal sealed partial class BitSlicedStore
{
    /// <summary>Rows a block: one bit of a 512-bit plane each.</summary>
    public const int BlockRows = 512;

    /// <summary>Words (ulong) a plane.</summary>
    private const int PlaneWords = BlockRows / 64;

    private readonly int _codeLength;
    private readonly int _wordsPerRow;
    private readonly int _blockWords;   // (bits + 1) planes of 8 words
    private ulong[] _data;              // pinned; blocks start at _origin, 64-byte aligned
    private int _origin;                // first word of block 0 inside _data
    private int _blockCapacity;
    private int _count;

    /// <summary>An empty store for <paramref name="codeLength"/>-bit codes (1 .. <see cref="BinaryCode.MaxCodeLength"/>; the 13 counter bits of the scan hold distances up to 8191).</summary>
    public BitSlicedStore(int codeLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(codeLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(codeLength, BinaryCode.MaxCodeLength);
        _codeLength = codeLength;
        _wordsPerRow = (codeLength + 63) >> 6;
        _blockWords = (codeLength + 1) * PlaneWords;
        _data = [];
    }

    /// <summary>Whether this machine runs the scan with AVX-512 (otherwise a portable, much slower, path runs).</summary>
    public static bool IsSupported => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>The code length.</summary>
    public int CodeLength => _codeLength;

    /// <summary>Rows stored (slots 0 .. Count-1).</summary>
    public int Count => _count;

    /// <summary>Blocks holding at least one row.</summary>
    public int BlockCount => (_count + BlockRows - 1) / BlockRows;

    /// <summary>Words a row in the row-major form the store is fed with.</summary>
    public int WordsPerRow => _wordsPerRow;

    /// <summary>Appends one row of <see cref="WordsPerRow"/> words as slot <see cref="Count"/>.</summary>
    public void Append(ReadOnlySpan<ulong> row)
    {
        if (row.Length < _wordsPerRow)
        {
            throw new ArgumentException($"A row needs {_wordsPerRow} words.", nameof(row));
        }

        EnsureCapacity(_count + 1);
        SetRow(_count, row);
        _count++;
    }

    /// <summary>Appends rows stored back to back (<see cref="WordsPerRow"/> words each).</summary>
    public void AppendRange(ReadOnlySpan<ulong> rows)
    {
        int w = _wordsPerRow;
        if (rows.Length % w != 0)
        {
            throw new ArgumentException($"Rows are {w} words each.", nameof(rows));
        }

        int n = rows.Length / w;
        EnsureCapacity(checked(_count + n));
        int i = 0;

        // Row by row up to a 64-row boundary, then 64 rows at a time through a 64x64 bit transpose.
        for (; i < n && (_count & 63) != 0; i++)
        {
            SetRow(_count++, rows.Slice(i * w, w));
        }

        Span<ulong> tile = stackalloc ulong[64];
        for (; n - i >= 64; i += 64)
        {
            int slot = _count;
            ref ulong block = ref BlockRef(slot / BlockRows);
            int word = (slot % BlockRows) >> 6; // which of the plane's 8 words these 64 rows fill
            for (int wi = 0; wi < w; wi++)
            {
                for (int r = 0; r < 64; r++)
                {
                    tile[r] = rows[((i + r) * w) + wi];
                }

                Transpose64(tile); // tile[j] bit r = bit (wi*64 + j) of row r
                int planes = Math.Min(64, _codeLength - (wi * 64));
                for (int j = 0; j < planes; j++)
                {
                    Unsafe.Add(ref block, ((wi * 64) + j) * PlaneWords + word) = tile[j];
                }
            }

            _count += 64;
        }

        for (; i < n; i++)
        {
            SetRow(_count++, rows.Slice(i * w, w));
        }
    }

    /// <summary>Overwrites slot <paramref name="to"/> with slot <paramref name="from"/> (both below <see cref="Count"/>).</summary>
    public void CopyRow(int from, int to)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)from, (uint)_count, nameof(from));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)to, (uint)_count, nameof(to));
        if (from == to)
        {
            return;
        }

        ref ulong src = ref Unsafe.Add(ref BlockRef(from / BlockRows), ((from % BlockRows) >> 6));
        ref ulong dst = ref Unsafe.Add(ref BlockRef(to / BlockRows), ((to % BlockRows) >> 6));
        int sBit = from & 63;
        ulong dMask = 1UL << (to & 63);
        for (int j = 0; j < _codeLength; j++)
        {
            int at = j * PlaneWords;
            ulong bit = (Unsafe.Add(ref src, at) >> sBit) & 1;
            ref ulong d = ref Unsafe.Add(ref dst, at);
            d = (d & ~dMask) | (0UL - bit & dMask);
        }
    }

    /// <summary>Drops the last slot (clears its bits, keeping the zero invariant).</summary>
    public void RemoveLast()
    {
        if (_count == 0)
        {
            throw new InvalidOperationException("The store is empty.");
        }

        int slot = _count - 1;
        ref ulong w = ref Unsafe.Add(ref BlockRef(slot / BlockRows), ((slot % BlockRows) >> 6));
        ulong keep = ~(1UL << (slot & 63));
        for (int j = 0; j < _codeLength; j++)
        {
            Unsafe.Add(ref w, j * PlaneWords) &= keep;
        }

        _count = slot;
    }

    /// <summary>Removes every row (keeps the memory).</summary>
    public void Clear()
    {
        if (_count > 0)
        {
            _data.AsSpan(_origin, BlockCount * _blockWords).Clear();
        }

        _count = 0;
    }

    /// <summary>The row in <paramref name="slot"/>, gathered back from the planes (tests and diagnostics).</summary>
    public void GetRow(int slot, Span<ulong> row)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)slot, (uint)_count, nameof(slot));
        row[.._wordsPerRow].Clear();
        ref ulong src = ref Unsafe.Add(ref BlockRef(slot / BlockRows), ((slot % BlockRows) >> 6));
        int bit = slot & 63;
        for (int j = 0; j < _codeLength; j++)
        {
            row[j >> 6] |= ((Unsafe.Add(ref src, j * PlaneWords) >> bit) & 1) << (j & 63);
        }
    }

    /// <summary>Word 0 of block <paramref name="block"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref ulong BlockRef(int block) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_data), _origin + (nint)block * _blockWords);

    /// <summary>ORs the set bits of <paramref name="row"/> into <paramref name="slot"/> (whose bits are all zero).</summary>
    private void SetRow(int slot, ReadOnlySpan<ulong> row)
    {
        ref ulong w = ref Unsafe.Add(ref BlockRef(slot / BlockRows), ((slot % BlockRows) >> 6));
        ulong bit = 1UL << (slot & 63);
        for (int wi = 0; wi < _wordsPerRow; wi++)
        {
            ulong x = row[wi];
            if (wi == _wordsPerRow - 1 && (_codeLength & 63) != 0)
            {
                x &= (1UL << (_codeLength & 63)) - 1; // padding bits past the code are not planes
            }

            while (x != 0)
            {
                int j = (wi * 64) + BitOperations.TrailingZeroCount(x);
                x &= x - 1;
                Unsafe.Add(ref w, j * PlaneWords) |= bit;
            }
        }
    }

    /// <summary>Grows the block storage to hold <paramref name="rows"/> rows (no-op when it already does).</summary>
    public void EnsureCapacity(int rows)
    {
        int blocks = (rows + BlockRows - 1) / BlockRows;
        if (blocks <= _blockCapacity)
        {
            return;
        }

        int capacity = Math.Max(blocks, Math.Max(4, _blockCapacity * 2));
        long words = ((long)capacity * _blockWords) + 8;
        if (words > Array.MaxLength)
        {
            capacity = blocks;
            words = ((long)capacity * _blockWords) + 8;
            if (words > Array.MaxLength)
            {
                throw new OutOfMemoryException("The bit-sliced store would exceed one array.");
            }
        }

        // Pinned (the pinned object heap never moves it), so the 64-byte alignment found now holds.
        ulong[] data = GC.AllocateArray<ulong>((int)words, pinned: true);
        int origin = AlignedOrigin(data);
        if (_count > 0 || _blockCapacity > 0)
        {
            _data.AsSpan(_origin, _blockCapacity * _blockWords).CopyTo(data.AsSpan(origin));
        }

        _data = data;
        _origin = origin;
        _blockCapacity = capacity;
    }

    private static unsafe int AlignedOrigin(ulong[] data)
    {
        nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(data));
        return (int)((64 - (address & 63)) & 63) / 8;
    }

    /// <summary>
    /// In-place transpose of a 64x64 bit matrix, bit c of a[r] being entry (r, c): afterwards bit r of a[c]
    /// is the old entry (r, c). Six rounds swap ever smaller off-diagonal blocks (32, 16, .., 1 wide).
    /// </summary>
    internal static void Transpose64(Span<ulong> a)
    {
        ulong m = 0x0000_0000_FFFF_FFFFUL; // columns whose bit j is clear
        for (int j = 32; j != 0; j >>= 1, m ^= m << j)
        {
            for (int k = 0; k < 64; k = ((k | j) + 1) & ~j)
            {
                // Swap the high-j block of row k with the low-j block of row k + j.
                ulong t = ((a[k] >> j) ^ a[k | j]) & m;
                a[k] ^= t << j;
                a[k | j] ^= t;
            }
        }
    }
}
