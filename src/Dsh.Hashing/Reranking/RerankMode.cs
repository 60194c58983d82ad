namespace Dsh.Hashing;

/// <summary>The second stage of a two-stage search: how the Hamming search's first candidates are re-ordered.</summary>
public enum RerankMode
{
    /// <summary>No second stage: the Hamming order (ties by gallery position).</summary>
    None = 0,

    /// <summary>
    /// <see cref="AsymmetricReranker"/>: the query's real-valued embedding against the candidates' stored codes. Needs
    /// nothing stored beyond the codes.
    /// </summary>
    Codes = 1,

    /// <summary>
    /// <see cref="EmbeddingReranker"/> with cosine similarity: the query's embedding against each candidate's stored
    /// real-valued embedding (32 bits a code bit of extra memory).
    /// </summary>
    Embeddings = 2,
}
