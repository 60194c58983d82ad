using System.Numerics.Tensors;
using Dsh.Hashing.Internal;

namespace Dsh.Hashing;

/// <summary>
/// Asymmetric re-ranking: orders the candidates of a Hamming search by the inner product between the query's
/// real-valued embedding q (the network output before the sign) and each candidate's stored code read as ±1 values,
/// score = Σᵢ qᵢ·(2bᵢ − 1). The gallery keeps only its codes; the query's magnitudes say which bits it is sure of,
/// so candidates at one Hamming distance are ordered by which bits they disagree on, and a disagreement on a bit
/// the query is unsure of costs little. With all |qᵢ| equal the order is the Hamming order.
/// </summary>
/// <example>
/// <code>
/// float[] q = model.EmbedSketch(stream);
/// var candidates = index.Search(BinaryCode.FromSigns(q), k: 100);
/// var top = AsymmetricReranker.Rerank(q, candidates, id => codes[id], take: 10);
/// </code>
/// </example>
public static class AsymmetricReranker
{
    /// <summary>
    /// Orders <paramref name="candidates"/> by Σᵢ qᵢ·(2bᵢ − 1) (highest first; ties by Hamming distance, then by their
    /// order in <paramref name="candidates"/>) and keeps the first <paramref name="take"/> (all when null).
    /// </summary>
    /// <param name="query">The query's embedding, one finite value per code bit.</param>
    /// <param name="candidates">Neighbours from <see cref="IHammingIndex.Search"/> (or any list).</param>
    /// <param name="codeOf">The stored code of an id, <paramref name="query"/>.Length bits long.</param>
    /// <param name="take">How many to keep, at least 1; null keeps all.</param>
    /// <returns>The re-ranked candidates; <see cref="RerankedNeighbor.Score"/> is the inner product.</returns>
    /// <exception cref="ArgumentException">The query is empty or not finite, or a code has another length.</exception>
    public static IReadOnlyList<RerankedNeighbor> Rerank(ReadOnlySpan<float> query, IReadOnlyList<Neighbor> candidates,
        Func<long, BinaryCode> codeOf, int? take = null)
    {
        Guard.NotNull(candidates);
        Guard.NotNull(codeOf);
        CheckQuery(query);
        if (take is { } t)
        {
            Guard.Positive(t, nameof(take));
        }
        float total = TensorPrimitives.Sum(query);
        var scored = new (RerankedNeighbor Neighbor, int Position)[candidates.Count];
        for (int i = 0; i < scored.Length; i++)
        {
            Neighbor n = candidates[i];
            BinaryCode code = codeOf(n.Id) ?? throw new ArgumentException($"No code for id {n.Id}.", nameof(codeOf));
            if (code.CodeLength != query.Length)
            {
                throw new ArgumentException($"The code of id {n.Id} has {code.CodeLength} bits; the query has {query.Length} values.", nameof(codeOf));
            }
            scored[i] = (new RerankedNeighbor(n.Id, n.Distance, Score(query, code.Words, total)), i);
        }
        Array.Sort(scored, (a, b) =>
        {
            int c = b.Neighbor.Score.CompareTo(a.Neighbor.Score);
            if (c == 0)
            {
                c = a.Neighbor.Distance.CompareTo(b.Neighbor.Distance);
            }
            return c != 0 ? c : a.Position.CompareTo(b.Position);
        });
        int keep = take is { } k ? Math.Min(k, scored.Length) : scored.Length;
        var result = new RerankedNeighbor[keep];
        for (int i = 0; i < keep; i++)
        {
            result[i] = scored[i].Neighbor;
        }
        return result;
    }

    /// <summary>Σᵢ qᵢ·(2bᵢ − 1) for one code given as words (bit i of the code is bit i % 64 of word i / 64).</summary>
    /// <param name="query">The query's embedding, one finite value per code bit.</param>
    /// <param name="codeWords">The code's words, at least ⌈query.Length / 64⌉ of them.</param>
    /// <exception cref="ArgumentException">The query is empty or not finite, or there are too few words.</exception>
    public static float Score(ReadOnlySpan<float> query, ReadOnlySpan<ulong> codeWords)
    {
        CheckQuery(query);
        if (codeWords.Length < BinaryCode.WordsFor(query.Length))
        {
            throw new ArgumentException($"A {query.Length}-bit code needs {BinaryCode.WordsFor(query.Length)} words, not {codeWords.Length}.", nameof(codeWords));
        }
        return Score(query, codeWords, TensorPrimitives.Sum(query));
    }

    /// <summary>2·Σ_{bᵢ=1} qᵢ − Σᵢ qᵢ, which equals Σᵢ qᵢ·(2bᵢ − 1): one pass over the set bits.</summary>
    private static float Score(ReadOnlySpan<float> query, ReadOnlySpan<ulong> words, float total)
    {
        float set = 0;
        int wordCount = BinaryCode.WordsFor(query.Length);
        for (int w = 0; w < wordCount; w++)
        {
            ulong bits = words[w];
            while (bits != 0)
            {
                int i = (w << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                if (i >= query.Length)
                {
                    break; // padding bits of the last word are not part of the code
                }
                set += query[i];
                bits &= bits - 1;
            }
        }
        return 2 * set - total;
    }

    private static void CheckQuery(ReadOnlySpan<float> query)
    {
        if (query.IsEmpty)
        {
            throw new ArgumentException("The query embedding is empty.", nameof(query));
        }
        Guard.CodeLengthInRange(query.Length, nameof(query));
        if (!TensorPrimitives.IsFiniteAll(query))
        {
            throw new ArgumentException("The query embedding contains NaN or an infinity.", nameof(query));
        }
    }
}
