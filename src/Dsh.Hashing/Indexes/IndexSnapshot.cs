namespace Dsh.Hashing;

/// <summary>A copy of an index's contents at one moment: ids and their codes, row for row.</summary>
/// <param name="Ids">The id of each row.</param>
/// <param name="Codes">The codes, in the same order as <paramref name="Ids"/>.</param>
public sealed record IndexSnapshot(IReadOnlyList<long> Ids, BinaryCodeSet Codes)
{
    /// <summary>The code length.</summary>
    public int Bits => Codes.Bits;

    /// <summary>The number of rows.</summary>
    public int Count => Codes.Count;

    internal static IndexSnapshot Of(Indexes.CodeStore store) =>
        new(store.Ids.ToArray(), BinaryCodeSet.FromOwnedWords(store.Codes.ToArray(), store.Bits, store.Count, validate: false));
}
