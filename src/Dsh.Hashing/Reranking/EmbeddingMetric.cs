namespace Dsh.Hashing;

/// <summary>How <see cref="EmbeddingReranker"/> compares real-valued embeddings.</summary>
public enum EmbeddingMetric
{
    /// <summary>Cosine similarity (<c>TensorPrimitives.CosineSimilarity</c>); higher ranks first.</summary>
    Cosine = 0,

    /// <summary>Euclidean distance (<c>TensorPrimitives.Distance</c>); lower ranks first.</summary>
    Euclidean = 1,

    /// <summary>Dot product (<c>TensorPrimitives.Dot</c>); higher ranks first.</summary>
    DotProduct = 2,
}
