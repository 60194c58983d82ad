using Dsh.Hashing;

namespace Dsh.Evaluation;

/// <summary>
/// The full ranking of a gallery for one query, as a two-stage search makes it: the Hamming order (ties by gallery
/// position), then the first <c>depth</c> of it re-ordered by a <see cref="RerankMode"/>; the rest keeps the Hamming
/// order. Gallery items are their positions (0 … count − 1).
/// </summary>
public static class GalleryRanking
{
    /// <summary>Ranks the gallery for one query.</summary>
    /// <param name="queryCode">The query's code.</param>
    /// <param name="queryEmbedding">The query's real-valued embedding (its signs are the code); needed unless <paramref name="mode"/> is None.</param>
    /// <param name="gallery">The gallery's codes.</param>
    /// <param name="galleryEmbeddings">The gallery's embeddings, for <see cref="RerankMode.Embeddings"/>.</param>
    /// <param name="mode">The second stage.</param>
    /// <param name="depth">How many of the Hamming order's first items the second stage re-orders (at least 1).</param>
    /// <returns>Every gallery position once, best first.</returns>
    /// <exception cref="ArgumentException">A missing or mis-sized embedding, or code lengths that differ.</exception>
    public static int[] Rank(BinaryCode queryCode, float[]? queryEmbedding, BinaryCodeSet gallery,
        IReadOnlyList<float[]>? galleryEmbeddings, RerankMode mode, int depth)
    {
        ArgumentNullException.ThrowIfNull(queryCode);
        ArgumentNullException.ThrowIfNull(gallery);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        if (queryCode.CodeLength != gallery.CodeLength)
        {
            throw new ArgumentException($"The query code has {queryCode.CodeLength} bits but the gallery codes {gallery.CodeLength}.", nameof(queryCode));
        }
        var order = new Neighbor[gallery.Count];
        ReadOnlySpan<ulong> query = queryCode.Words;
        for (int i = 0; i < order.Length; i++)
        {
            // On the stored words: the set's indexer would copy every gallery code.
            ReadOnlySpan<ulong> words = gallery.GetWords(i);
            int distance = 0;
            for (int w = 0; w < words.Length; w++)
            {
                distance += System.Numerics.BitOperations.PopCount(query[w] ^ words[w]);
            }
            order[i] = new Neighbor(i, distance);
        }
        Array.Sort(order); // distance, then id = gallery position
        int[] ranking = order.Select(n => (int)n.Id).ToArray();
        if (mode == RerankMode.None || order.Length == 0)
        {
            return ranking;
        }
        if (queryEmbedding is null)
        {
            throw new ArgumentException($"Re-ranking by {mode} needs the query's embedding.", nameof(queryEmbedding));
        }
        Neighbor[] head = order[..Math.Min(depth, order.Length)];
        IReadOnlyList<RerankedNeighbor> reranked = mode switch
        {
            RerankMode.Codes => AsymmetricReranker.Rerank(queryEmbedding, head, id => gallery[(int)id]),
            RerankMode.Embeddings => EmbeddingReranker.Rerank(queryEmbedding, head,
                id => (galleryEmbeddings ?? throw new ArgumentException("Re-ranking by embeddings needs the gallery's embeddings.", nameof(galleryEmbeddings)))[(int)id],
                EmbeddingMetric.Cosine),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a re-rank mode."),
        };
        for (int r = 0; r < reranked.Count; r++)
        {
            ranking[r] = (int)reranked[r].Id;
        }
        return ranking;
    }
}
