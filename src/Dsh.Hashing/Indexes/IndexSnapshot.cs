using Dsh.Hashing.Internal;

namespace Dsh.Hashing;

/// <summary>A copy of an index's contents at one moment: ids and their codes, row for row.</summary>
public sealed record IndexSnapshot
{
    /// <summary>Pairs ids with codes, row for row.</summary>
    /// <param name="ids">The id of each row.</param>
    /// <param name="codes">The codes, as many as <paramref name="ids"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The counts differ.</exception>
    public IndexSnapshot(IReadOnlyList<long> ids, BinaryCodeSet codes)
    {
        Guard.NotNull(ids);
        Guard.NotNull(codes);
        if (ids.Count != codes.Count)
        {
            throw new ArgumentException($"{ids.Count} ids for {codes.Count} codes; give one id a code.", nameof(ids));
        }

        Ids = ids;
        Codes = codes;
    }

    /// <summary>The id of each row.</summary>
    public IReadOnlyList<long> Ids { get; }

    /// <summary>The codes, in the same order as <see cref="Ids"/>.</summary>
    public BinaryCodeSet Codes { get; }

    /// <summary>The code length.</summary>
    public int CodeLength => Codes.CodeLength;

    /// <summary>The code length under its first name; use <see cref="CodeLength"/>.</summary>
    [Obsolete("Use CodeLength.")]
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public int Bits => CodeLength;

    /// <summary>The number of rows.</summary>
    public int Count => Codes.Count;

    internal static IndexSnapshot Of(Indexes.CodeStore store) =>
        new(store.Ids.ToArray(), BinaryCodeSet.FromOwnedWords(store.Codes.ToArray(), store.CodeLength, store.Count));
}
