using System.Runtime.CompilerServices;

namespace Dsh.Hashing.Indexes.Mih;

/// <summary>
/// How a code of <see cref="CodeLength"/> bits splits into <see cref="Count"/> disjoint, contiguous substrings:
/// the first <c>CodeLength % Count</c> substrings have one bit more than the rest, so lengths differ by at most 1,
/// and every length is at most 64 (the caller keeps <c>ceil(CodeLength / 64) ≤ Count ≤ CodeLength</c>).
/// </summary>
internal sealed class SubstringLayout
{
    private readonly int[] _starts;
    private readonly int[] _lengths;

    public SubstringLayout(int codeLength, int count)
    {
        CodeLength = codeLength;
        Count = count;
        _starts = new int[count];
        _lengths = new int[count];
        int q = codeLength / count, r = codeLength % count, at = 0;
        for (int j = 0; j < count; j++)
        {
            _starts[j] = at;
            _lengths[j] = q + (j < r ? 1 : 0);
            at += _lengths[j];
        }

        MaxLength = _lengths[0];
    }

    public int CodeLength { get; }

    /// <summary>The number of substrings, m.</summary>
    public int Count { get; }

    /// <summary>The longest substring, in bits.</summary>
    public int MaxLength { get; }

    /// <summary>The length of substring <paramref name="j"/>, in bits (1 to 64).</summary>
    public int Length(int j) => _lengths[j];

    /// <summary>Substring <paramref name="j"/> of a packed row, as an integer of <see cref="Length"/> bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Extract(ReadOnlySpan<ulong> row, int j)
    {
        int start = _starts[j], length = _lengths[j];
        int word = start >> 6, offset = start & 63;
        ulong value = row[word] >> offset;
        if (offset + length > 64)
        {
            value |= row[word + 1] << (64 - offset);
        }

        return length == 64 ? value : value & ((1UL << length) - 1);
    }

    /// <summary>Every substring of <paramref name="row"/> into <paramref name="keys"/>.</summary>
    public void ExtractAll(ReadOnlySpan<ulong> row, Span<ulong> keys)
    {
        for (int j = 0; j < Count; j++)
        {
            keys[j] = Extract(row, j);
        }
    }
}
