using System.Numerics.Tensors;
using Dsh.Hashing.Internal;

namespace Dsh.Hashing;

/// <summary>
/// Re-ranks the candidates of a Hamming search by the real-valued embeddings the codes were made from
/// (the network outputs before the sign), with <see cref="TensorPrimitives"/>: the usual two-stage search,
/// where the binary index finds a few hundred candidates fast and the exact embeddings order them.
/// </summary>
/// <example>
/// <code>
/// var candidates = index.Search(BinaryCode.FromSigns(sketchEmbedding), k: 200);
/// var top = EmbeddingReranker.Rerank(sketchEmbedding, candidates, id => photoEmbeddings[id], EmbeddingMetric.Cosine, take: 20);
/// </code>
/// </example>
public static class EmbeddingReranker
{
    /// <summary>
    /// Orders <paramref name="candidates"/> by the metric between <paramref name="query"/> and each
    /// candidate's embedding (best first; ties by Hamming distance, then id) and keeps the first
    /// <paramref name="take"/> (all when null).
    /// </summary>
    /// <param name="query">The query's embedding; finite values.</param>
    /// <param name="candidates">Neighbours from <see cref="IHammingIndex.Search"/> (or any list).</param>
    /// <param name="embeddingOf">The embedding of an id, as long as <paramref name="query"/>.</param>
    /// <param name="metric">How to compare embeddings.</param>
    /// <param name="take">How many to keep, at least 1; null keeps all.</param>
    /// <returns>The re-ranked candidates.</returns>
    /// <exception cref="ArgumentException">The query is empty or not finite, an embedding has another length or is not finite, or (cosine) a vector is all zeros.</exception>
    public static IReadOnlyList<RerankedNeighbor> Rerank(
        ReadOnlySpan<float> query,
        IReadOnlyList<Neighbor> candidates,
        Func<long, ReadOnlyMemory<float>> embeddingOf,
        EmbeddingMetric metric = EmbeddingMetric.Cosine,
        int? take = null)
    {
        Guard.NotNull(candidates);
        Guard.NotNull(embeddingOf);
        if (query.IsEmpty)
        {
            throw new ArgumentException("The query embedding is empty.", nameof(query));
        }

        if (!Enum.IsDefined(metric))
        {
            throw new ArgumentOutOfRangeException(nameof(metric), metric, "Not an embedding metric.");
        }

        if (take is { } t)
        {
            Guard.Positive(t, nameof(take));
        }

        ThrowIfNotFinite(query, "The query embedding", nameof(query));
        if (metric == EmbeddingMetric.Cosine && TensorPrimitives.Norm(query) == 0f)
        {
            throw new ArgumentException("The query embedding is all zeros; it has no direction for cosine similarity.", nameof(query));
        }
        var scored = new RerankedNeighbor[candidates.Count];
        for (int i = 0; i < scored.Length; i++)
        {
            Neighbor n = candidates[i];
            ReadOnlySpan<float> embedding = embeddingOf(n.Id).Span;
            if (embedding.Length != query.Length)
            {
                throw new ArgumentException($"The embedding of id {n.Id} has {embedding.Length} values; the query has {query.Length}.", nameof(embeddingOf));
            }

            ThrowIfNotFinite(embedding, $"The embedding of id {n.Id}", nameof(embeddingOf));
            if (metric == EmbeddingMetric.Cosine && TensorPrimitives.Norm(embedding) == 0f)
            {
                throw new ArgumentException($"The embedding of id {n.Id} is all zeros; it has no direction for cosine similarity.", nameof(embeddingOf));
            }
            float score = metric switch
            {
                EmbeddingMetric.Cosine => TensorPrimitives.CosineSimilarity(query, embedding),
                EmbeddingMetric.Euclidean => TensorPrimitives.Distance(query, embedding),
                _ => TensorPrimitives.Dot(query, embedding),
            };
            scored[i] = new RerankedNeighbor(n.Id, n.Distance, score);
        }

        bool lowerIsBetter = metric == EmbeddingMetric.Euclidean;
        Array.Sort(scored, (a, b) =>
        {
            int c = lowerIsBetter ? a.Score.CompareTo(b.Score) : b.Score.CompareTo(a.Score);
            if (c == 0)
            {
                c = a.Distance.CompareTo(b.Distance);
            }

            return c != 0 ? c : a.Id.CompareTo(b.Id);
        });

        return take is { } keep && keep < scored.Length ? scored[..keep] : scored;
    }

    private static void ThrowIfNotFinite(ReadOnlySpan<float> values, string what, string parameter)
    {
        if (!TensorPrimitives.IsFiniteAll(values))
        {
            throw new ArgumentException($"{what} contains NaN or an infinity.", parameter);
        }
    }
}
