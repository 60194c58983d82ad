namespace Dsh.Hashing.Indexes.Mih;

/// <summary>
/// When probing stops paying: costs in units of one 64-bit word compared by the linear scan, so a full
/// scan of n codes of w words costs n·w. Probing gives way to a scan (same results) before its work so far
/// plus the rounds the current threshold still calls for would cost more, so a search costs at most about
/// two scans.
/// </summary>
internal sealed class MihCostModel
{
    /// <summary>
    /// For the row-major scan. Measured on one AVX-512 machine (busy at the time), 1M codes of 64 to 256
    /// bits: a lookup ≈ 50 ns and a verification ≈ 40 ns (cache misses), against ≈ 0.55 ns a scanned word;
    /// a quiet run later measured ≈ 0.37 ns a word for the AVX-512BW scan, so these weights probe a little long.
    /// </summary>
    public static readonly MihCostModel Default = new(probeCost: 96, candidateCost: 64, neverScan: false);

    /// <summary>
    /// The same lookup and verification times against the bit-sliced scan, ≈ 0.28 ns a word (1M × 128-bit
    /// codes in 0.566 ms, docs/performance.md): 50 / 0.28 ≈ 180 words a lookup, 40 / 0.28 ≈ 140 a
    /// verification, so probing gives way sooner. Measured effect: docs/performance.md (MIH table).
    /// </summary>
    public static readonly MihCostModel BitSlicedScan = new(probeCost: 180, candidateCost: 140, neverScan: false);

    /// <summary>Never scans: probes until the answer is proven (tests of the probing path, small substrings only).</summary>
    public static readonly MihCostModel NeverScan = new(probeCost: 0, candidateCost: 0, neverScan: true);

    public MihCostModel(long probeCost, long candidateCost, bool neverScan)
    {
        ProbeCost = probeCost;
        CandidateCost = candidateCost;
        NeverScanning = neverScan;
    }

    /// <summary>One table lookup (including the dynamic part).</summary>
    public long ProbeCost { get; }

    /// <summary>Verifying one candidate: the marks, the row fetch, the distance.</summary>
    public long CandidateCost { get; }

    /// <summary>Whether the scan fallback is off.</summary>
    public bool NeverScanning { get; }

    /// <summary>Whether <paramref name="probes"/> lookups and <paramref name="candidates"/> verifications cost more than a scan.</summary>
    /// <remarks>In floating point: a round at radius 32 of 64-bit substrings has ~1.8e18 probes.</remarks>
    public bool Exceeds(double probes, double candidates, double scanCost) =>
        !NeverScanning && (probes * ProbeCost) + (candidates * CandidateCost) > scanCost;
}
