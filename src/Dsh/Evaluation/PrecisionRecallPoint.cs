namespace Dsh.Evaluation;

/// <summary>
/// One point of the Hamming-radius precision–recall curve: every gallery item within Hamming distance
/// <see cref="Radius"/> of the query counts as retrieved (hash lookup), so no tie rule is involved.
/// </summary>
/// <param name="Radius">The Hamming radius r, 0 to the code length.</param>
/// <param name="Precision">
/// Mean over the queries that retrieve at least one item within r (<see cref="QueriesWithResults"/> of them) of
/// relevant retrieved / retrieved; 0 when no query retrieves anything. Multiply by
/// <see cref="QueriesWithResults"/> / <see cref="RetrievalReport.Queries"/> for the variant that counts an empty
/// result as precision 0.
/// </param>
/// <param name="Recall">Mean over the queries with at least one relevant gallery item of relevant retrieved / relevant.</param>
/// <param name="MeanRetrieved">Mean number of gallery items within r, over all queries.</param>
/// <param name="QueriesWithResults">Queries with at least one gallery item within r.</param>
public readonly record struct PrecisionRecallPoint(int Radius, double Precision, double Recall, double MeanRetrieved, int QueriesWithResults);
