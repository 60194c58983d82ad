namespace Dsh;

/// <summary>
/// Every term of the DSH objective, unweighted, plus the weighted total (float64). Reported separately so
/// progress can show which term moves.
/// </summary>
/// <param name="Pairwise">Cross-view pairwise term ‖B_Iᵀ B_S − m·W‖²_F.</param>
/// <param name="PairwisePerPair">The pairwise term divided by n_I·n_S (comparable across dataset sizes).</param>
/// <param name="SemanticPhoto">Semantic factorisation of photos ‖Φ_I − D B_I‖²_F.</param>
/// <param name="SemanticSketch">Semantic factorisation of sketches ‖Φ_S − D B_S‖²_F.</param>
/// <param name="DNorm">The regulariser ‖D‖²_F.</param>
/// <param name="QuantizationPhoto">‖F_I − B_I‖²_F (photo network outputs against photo codes).</param>
/// <param name="QuantizationSketch">‖F_S − B_S‖²_F (sketch network outputs against sketch codes).</param>
/// <param name="Total">Pairwise + λ(SemanticPhoto + SemanticSketch) + ρ·DNorm + γ(QuantizationPhoto + QuantizationSketch).</param>
public readonly record struct DshLossTerms(
    double Pairwise,
    double PairwisePerPair,
    double SemanticPhoto,
    double SemanticSketch,
    double DNorm,
    double QuantizationPhoto,
    double QuantizationSketch,
    double Total);
