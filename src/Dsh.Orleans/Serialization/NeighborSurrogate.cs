using Dsh.Hashing;

namespace Dsh.Orleans.Serialization;

/// <summary>How a <see cref="Neighbor"/> travels between Orleans clients and silos.</summary>
[GenerateSerializer]
[Alias("dsh.neighbor")]
public struct NeighborSurrogate
{
    /// <summary>The stored id.</summary>
    [Id(0)] public long Id;

    /// <summary>The Hamming distance to the query.</summary>
    [Id(1)] public int Distance;
}

/// <summary>Converts <see cref="Neighbor"/> to and from <see cref="NeighborSurrogate"/> for the Orleans serializer.</summary>
[RegisterConverter]
public sealed class NeighborSurrogateConverter : IConverter<Neighbor, NeighborSurrogate>
{
    /// <inheritdoc />
    public Neighbor ConvertFromSurrogate(in NeighborSurrogate surrogate) => new(surrogate.Id, surrogate.Distance);

    /// <inheritdoc />
    public NeighborSurrogate ConvertToSurrogate(in Neighbor value) => new() { Id = value.Id, Distance = value.Distance };
}
