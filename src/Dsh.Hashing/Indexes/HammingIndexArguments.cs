using System.Runtime.CompilerServices;
using Dsh.Hashing.Internal;

namespace Dsh.Hashing;

/// <summary>
/// The argument checks of the <see cref="IHammingIndex"/> contract, with the exception types, messages and parameter
/// names of the Dsh indexes. Public so that an index with the same contract elsewhere (the Dsh.Orleans cluster index,
/// a wrapper) rejects bad arguments exactly as <see cref="HammingIndex"/> does, before any work is done.
/// </summary>
public static class HammingIndexArguments
{
    /// <summary>Checks the code length of a new index: 1 to <see cref="BinaryCode.MaxCodeLength"/>.</summary>
    /// <param name="codeLength">The code length.</param>
    /// <param name="paramName">The name the exception gives; by default the argument expression.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="codeLength"/> is out of range.</exception>
    public static void CheckCodeLength(int codeLength, [CallerArgumentExpression(nameof(codeLength))] string? paramName = null) =>
        Guard.CodeLengthInRange(codeLength, paramName);

    /// <summary>
    /// Checks the queries of a batch search and returns them as an array the caller owns, so a list changed by another
    /// thread mid-search cannot hand a kernel a code of the wrong length.
    /// </summary>
    /// <param name="codeLength">The index's code length.</param>
    /// <param name="queries">The queries.</param>
    /// <returns>A copy of <paramref name="queries"/>, every one checked.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="queries"/> is null.</exception>
    /// <exception cref="ArgumentException">A query is null or of another code length (the message names it, <c>queries[i]</c>).</exception>
    public static BinaryCode[] CheckQueries(int codeLength, IReadOnlyList<BinaryCode> queries)
    {
        Guard.NotNull(queries);
        var copy = new BinaryCode[queries.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            BinaryCode q = copy[i] = queries[i];
            if (q is null)
            {
                throw new ArgumentException($"queries[{i}] is null.", nameof(queries));
            }

            if (q.CodeLength != codeLength)
            {
                throw new ArgumentException($"queries[{i}] has {q.CodeLength} bits but the index holds {codeLength}-bit codes.", nameof(queries));
            }
        }

        return copy;
    }

    /// <summary>
    /// Checks the arguments of <see cref="IHammingIndex.SearchBatch(IReadOnlyList{BinaryCode}, int)"/>: the queries
    /// (<see cref="CheckQueries"/>), then <paramref name="k"/>.
    /// </summary>
    /// <param name="codeLength">The index's code length.</param>
    /// <param name="queries">The queries.</param>
    /// <param name="k">How many neighbours a query.</param>
    /// <returns>A copy of <paramref name="queries"/>, every one checked.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="queries"/> is null.</exception>
    /// <exception cref="ArgumentException">A query is null or of another code length.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is 0 or less.</exception>
    public static BinaryCode[] CheckSearchBatch(int codeLength, IReadOnlyList<BinaryCode> queries, int k)
    {
        BinaryCode[] copy = CheckQueries(codeLength, queries);
        Guard.Positive(k);
        return copy;
    }
}
