namespace Dsh.Hashing;

/// <summary>One search result: the id given at <c>Add</c> and its Hamming distance to the query.</summary>
/// <param name="Id">The id of the stored code.</param>
/// <param name="Distance">The Hamming distance to the query, 0 to the code length.</param>
/// <remarks>Results are ordered by <see cref="Distance"/>, then by <see cref="Id"/>; <see cref="CompareTo"/> is that order.</remarks>
public readonly record struct Neighbor(long Id, int Distance) : IComparable<Neighbor>
{
    /// <summary>Orders by distance, then by id.</summary>
    /// <param name="other">The neighbour to compare with.</param>
    public int CompareTo(Neighbor other)
    {
        int c = Distance.CompareTo(other.Distance);
        return c != 0 ? c : Id.CompareTo(other.Id);
    }

    /// <summary>True when <paramref name="left"/> ranks before <paramref name="right"/>.</summary>
    /// <param name="left">A neighbour.</param>
    /// <param name="right">A neighbour.</param>
    public static bool operator <(Neighbor left, Neighbor right) => left.CompareTo(right) < 0;

    /// <summary>True when <paramref name="left"/> ranks after <paramref name="right"/>.</summary>
    /// <param name="left">A neighbour.</param>
    /// <param name="right">A neighbour.</param>
    public static bool operator >(Neighbor left, Neighbor right) => left.CompareTo(right) > 0;

    /// <summary>True when <paramref name="left"/> does not rank after <paramref name="right"/>.</summary>
    /// <param name="left">A neighbour.</param>
    /// <param name="right">A neighbour.</param>
    public static bool operator <=(Neighbor left, Neighbor right) => left.CompareTo(right) <= 0;

    /// <summary>True when <paramref name="left"/> does not rank before <paramref name="right"/>.</summary>
    /// <param name="left">A neighbour.</param>
    /// <param name="right">A neighbour.</param>
    public static bool operator >=(Neighbor left, Neighbor right) => left.CompareTo(right) >= 0;
}
