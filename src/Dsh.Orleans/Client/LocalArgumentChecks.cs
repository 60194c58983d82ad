using Dsh.Hashing;

namespace Dsh.Orleans.Client;

/// <summary>
/// The argument checks of <see cref="HammingIndex"/> that are too costly to borrow from an empty probe index, with the
/// very same exception types, messages and parameter names (tests compare them with the local index's).
/// </summary>
internal static class LocalArgumentChecks
{
    /// <summary>As <c>HammingIndex.SearchBatch(queries, k)</c> checks its arguments, without searching.</summary>
    public static void SearchBatch(int codeLength, IReadOnlyList<BinaryCode> queries, int k)
    {
        ArgumentNullException.ThrowIfNull(queries);
        for (int i = 0; i < queries.Count; i++)
        {
            BinaryCode q = queries[i];
            if (q is null)
            {
                throw new ArgumentException($"queries[{i}] is null.", nameof(queries));
            }

            if (q.CodeLength != codeLength)
            {
                throw new ArgumentException($"queries[{i}] has {q.CodeLength} bits but the index holds {codeLength}-bit codes.", nameof(queries));
            }
        }

        if (k <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"'{nameof(k)}' must be greater than zero; got {k}.");
        }
    }

    /// <summary>Whether <c>AddRange(ids, codes)</c> would fail on its shape alone (nulls, code length, counts).</summary>
    public static bool HasShapeError(int codeLength, IReadOnlyList<long>? ids, BinaryCodeSet? codes) =>
        ids is null || codes is null || codes.CodeLength != codeLength || ids.Count != codes.Count;
}
