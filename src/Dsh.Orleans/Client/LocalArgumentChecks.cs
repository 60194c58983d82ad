using Dsh.Hashing;

namespace Dsh.Orleans.Client;

/// <summary>
/// The argument checks of <see cref="HammingIndex"/> that are too costly to borrow from an empty probe index and that
/// <see cref="HammingIndexArguments"/> does not offer, with the very same exception types, messages and parameter names
/// (tests compare them with the local index's).
/// </summary>
internal static class LocalArgumentChecks
{
    /// <summary>Whether <c>AddRange(ids, codes)</c> would fail on its shape alone (nulls, code length, counts).</summary>
    public static bool HasShapeError(int codeLength, IReadOnlyList<long>? ids, BinaryCodeSet? codes) =>
        ids is null || codes is null || codes.CodeLength != codeLength || ids.Count != codes.Count;
}
