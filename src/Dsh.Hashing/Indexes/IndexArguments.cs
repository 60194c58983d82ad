using Dsh.Hashing.Internal;

namespace Dsh.Hashing.Indexes;

/// <summary>The argument checks both indexes share, with the same messages (the public ones are in <see cref="HammingIndexArguments"/>).</summary>
internal static class IndexArguments
{
    internal static int ValidCodeLength(int codeLength, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(codeLength))] string? name = null)
    {
        Guard.CodeLengthInRange(codeLength, name);
        return codeLength;
    }

    /// <summary>Checks ids against codes and returns the ids as an array the caller owns (read once, so a list changed meanwhile cannot disagree with the codes).</summary>
    internal static long[] CheckRange(int codeLength, IReadOnlyList<long> ids, BinaryCodeSet codes)
    {
        Guard.NotNull(ids);
        Guard.NotNull(codes);
        if (codes.CodeLength != codeLength)
        {
            throw new ArgumentException($"'codes' holds {codes.CodeLength}-bit codes but the index holds {codeLength}-bit codes.", nameof(codes));
        }

        if (ids.Count != codes.Count)
        {
            throw new ArgumentException($"{ids.Count} ids for {codes.Count} codes; give one id a code.", nameof(ids));
        }

        long[] copy = ids.ToArray();
        if (copy.Length != codes.Count)
        {
            throw new ArgumentException($"'ids' changed while being read: {copy.Length} ids for {codes.Count} codes.", nameof(ids));
        }

        return copy;
    }

    internal static (long[] Ids, BinaryCodeSet Codes) Split(int codeLength, IEnumerable<(long Id, BinaryCode Code)> items)
    {
        Guard.NotNull(items);
        var list = items as IReadOnlyCollection<(long Id, BinaryCode Code)> ?? items.ToList();
        var ids = new long[list.Count];
        var codes = new List<BinaryCode>(list.Count);
        int i = 0;
        foreach ((long id, BinaryCode code) in list)
        {
            if (code is null)
            {
                throw new ArgumentException($"items[{i}] has a null code.", nameof(items));
            }

            if (code.CodeLength != codeLength)
            {
                throw new ArgumentException($"items[{i}] has {code.CodeLength} bits but the index holds {codeLength}-bit codes.", nameof(items));
            }

            ids[i++] = id;
            codes.Add(code);
        }

        return (ids, BinaryCodeSet.FromCodes(codes, codeLength));
    }
}
