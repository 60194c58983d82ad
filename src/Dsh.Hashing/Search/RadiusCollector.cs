namespace Dsh.Hashing.Search;

/// <summary>Keeps every code within a fixed radius.</summary>
internal sealed class RadiusCollector : NeighborSink
{
    private readonly List<(int Distance, int Slot)> _found = new();

    public RadiusCollector(int maxDistance) => Threshold = maxDistance;

    public override void Add(int distance, int slot)
    {
        if (distance <= Threshold)
        {
            _found.Add((distance, slot));
        }
    }

    /// <summary>All found codes as (distance, id), sorted.</summary>
    public Neighbor[] ToResult(ReadOnlySpan<long> ids)
    {
        var result = new Neighbor[_found.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = new Neighbor(ids[_found[i].Slot], _found[i].Distance);
        }

        Array.Sort(result);
        return result;
    }
}
