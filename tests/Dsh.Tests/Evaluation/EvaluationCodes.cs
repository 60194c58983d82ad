using Dsh.Hashing;

namespace Dsh.Tests.Evaluation;

/// <summary>Codes written as bit strings ("0101") and random code sets for the evaluation tests.</summary>
internal static class EvaluationCodes
{
    public static BinaryCodeSet Parse(params string[] bits) =>
        BinaryCodeSet.FromSigns(bits.SelectMany(b => b.Select(ch => ch == '1' ? 1f : -1f)).ToArray(), bits[0].Length);

    public static BinaryCodeSet RandomCodes(Random rng, int count, int bits) =>
        BinaryCodeSet.FromSigns(Enumerable.Range(0, count * bits).Select(_ => rng.Next(2) == 0 ? -1f : 1f).ToArray(), bits);

    public static BinaryCodeSet Empty(int bits) => BinaryCodeSet.FromSigns(ReadOnlySpan<float>.Empty, bits);

    /// <summary>Rows of <paramref name="codes"/> in the order <paramref name="rows"/>.</summary>
    public static BinaryCodeSet Reorder(BinaryCodeSet codes, IReadOnlyList<int> rows) =>
        BinaryCodeSet.FromWords(rows.SelectMany(r => codes.GetWords(r).ToArray()).ToArray(), codes.CodeLength);
}
