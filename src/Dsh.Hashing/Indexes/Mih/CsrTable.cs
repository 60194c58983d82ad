using System.Numerics;
using System.Runtime.CompilerServices;

namespace Dsh.Hashing.Indexes.Mih;

/// <summary>
/// The built part of one substring table, in compressed sparse rows: the row ids grouped by substring
/// value, back to back in <see cref="_rows"/>. Two layouts:
/// <list type="bullet">
/// <item><b>direct</b> (short substrings, <c>2^s</c> not much more than the rows): <c>_starts[v] .. _starts[v + 1]</c>
/// is the group of value <c>v</c>; one lookup, 4 bytes a possible value.</item>
/// <item><b>sorted</b>: the distinct values sorted in <see cref="_keys"/>, <c>_keyStarts</c> their groups, and
/// <c>_starts</c> indexes the keys by their top <c>p ≈ log2(rows)</c> bits, so a lookup binary-searches a
/// handful of keys; about 16 bytes a distinct value.</item>
/// </list>
/// Immutable once built; readers need no lock.
/// </summary>
internal sealed class CsrTable
{
    /// <summary>Direct addressing up to this many bits (2^26 starts = 256 MiB, only for huge tables).</summary>
    private const int MaxDirectBits = 26;

    private readonly int _length;
    private readonly int _shift;
    private readonly bool _direct;
    private readonly int[] _starts;
    private readonly ulong[] _keys;
    private readonly int[] _keyStarts;
    private readonly int[] _rows;

    private CsrTable(int length, int prefixBits, bool direct, int[] starts, ulong[] keys, int[] keyStarts, int[] rows)
    {
        _length = length;
        _shift = length - prefixBits;
        _direct = direct;
        _starts = starts;
        _keys = keys;
        _keyStarts = keyStarts;
        _rows = rows;
    }

    /// <summary>Whether the table addresses groups directly by value.</summary>
    public bool IsDirect => _direct;

    /// <summary>Approximate bytes held.</summary>
    public long Bytes => (4L * _starts.Length) + (8L * _keys.Length) + (4L * _keyStarts.Length) + (4L * _rows.Length);

    /// <summary>An empty table of <paramref name="length"/>-bit substrings.</summary>
    public static CsrTable Empty(int length) => Build(ReadOnlySpan<ulong>.Empty, length);

    /// <summary>Groups rows 0 .. keys.Length - 1 by their substring value <c>keys[row]</c>.</summary>
    /// <param name="keys">The substring value of each row.</param>
    /// <param name="length">The substring length s, 1 to 64.</param>
    public static CsrTable Build(ReadOnlySpan<ulong> keys, int length)
    {
        int n = keys.Length;
        bool direct = length <= MaxDirectBits && (1L << length) <= Math.Max(4L * n, 4096);
        int prefixBits = direct ? length : Math.Min(length, Math.Min(24, n <= 1 ? 0 : BitOperations.Log2((uint)n)));
        int shift = length - prefixBits;
        int buckets = 1 << prefixBits;

        // Counting sort by prefix (the whole value when direct).
        var starts = new int[buckets + 1];
        for (int i = 0; i < n; i++)
        {
            starts[Prefix(keys[i], shift, prefixBits) + 1]++;
        }

        for (int b = 0; b < buckets; b++)
        {
            starts[b + 1] += starts[b];
        }

        var rows = new int[n];
        var fill = starts.AsSpan(0, buckets).ToArray();
        if (direct)
        {
            for (int i = 0; i < n; i++)
            {
                rows[fill[(int)keys[i]]++] = i;
            }

            return new CsrTable(length, prefixBits, true, starts, Array.Empty<ulong>(), Array.Empty<int>(), rows);
        }

        var sorted = new ulong[n];
        for (int i = 0; i < n; i++)
        {
            int at = fill[Prefix(keys[i], shift, prefixBits)]++;
            sorted[at] = keys[i];
            rows[at] = i;
        }

        // Sort within each prefix bucket (small), then collapse equal values into groups.
        int distinct = 0;
        for (int b = 0; b < buckets; b++)
        {
            int from = starts[b], count = starts[b + 1] - from;
            if (count > 1)
            {
                sorted.AsSpan(from, count).Sort(rows.AsSpan(from, count));
            }
        }

        for (int i = 0; i < n; i++)
        {
            if (i == 0 || sorted[i] != sorted[i - 1])
            {
                distinct++;
            }
        }

        var distinctKeys = new ulong[distinct];
        var keyStarts = new int[distinct + 1];
        var keyIndexStarts = new int[buckets + 1];
        int d = -1;
        for (int i = 0; i < n; i++)
        {
            if (i == 0 || sorted[i] != sorted[i - 1])
            {
                d++;
                distinctKeys[d] = sorted[i];
                keyStarts[d] = i;
                keyIndexStarts[Prefix(sorted[i], shift, prefixBits) + 1]++;
            }
        }

        keyStarts[distinct] = n;
        for (int b = 0; b < buckets; b++)
        {
            keyIndexStarts[b + 1] += keyIndexStarts[b];
        }

        return new CsrTable(length, prefixBits, false, keyIndexStarts, distinctKeys, keyStarts, rows);
    }

    /// <summary>The rows whose substring value is <paramref name="key"/> (empty when none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<int> Lookup(ulong key)
    {
        if (_direct)
        {
            int from = _starts[(int)key];
            return _rows.AsSpan(from, _starts[(int)key + 1] - from);
        }

        return LookupSorted(key);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Prefix(ulong key, int shift, int prefixBits) => prefixBits == 0 ? 0 : (int)(key >> shift);

    private ReadOnlySpan<int> LookupSorted(ulong key)
    {
        int prefix = Prefix(key, _shift, _length - _shift);
        int lo = _starts[prefix], hi = _starts[prefix + 1] - 1;
        while (lo <= hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            ulong k = _keys[mid];
            if (k == key)
            {
                int from = _keyStarts[mid];
                return _rows.AsSpan(from, _keyStarts[mid + 1] - from);
            }

            if (k < key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ReadOnlySpan<int>.Empty;
    }
}
