namespace Dsh.Hashing;

/// <summary>A Hamming-search candidate after re-ranking by its real-valued embedding.</summary>
/// <param name="Id">The id of the stored code.</param>
/// <param name="Distance">Its Hamming distance to the query code.</param>
/// <param name="Score">The embedding metric's value (similarity for cosine and dot product, distance for Euclidean).</param>
public readonly record struct RerankedNeighbor(long Id, int Distance, float Score);
