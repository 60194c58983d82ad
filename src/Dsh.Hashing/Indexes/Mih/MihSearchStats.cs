namespace Dsh.Hashing.Indexes.Mih;

/// <summary>What one multi-index search did (for tests and tuning).</summary>
internal struct MihSearchStats
{
    /// <summary>Substring table lookups.</summary>
    public long Probes;

    /// <summary>Distinct live rows whose full distance was computed while probing.</summary>
    public long Candidates;

    /// <summary>The last probe radius reached (-1 when no probing happened).</summary>
    public int Radius;

    /// <summary>Whether the answer came from a full scan (small index, k ≥ Count, or probing would cost more).</summary>
    public bool Scanned;
}
