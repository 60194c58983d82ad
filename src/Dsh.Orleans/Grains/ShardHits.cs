namespace Dsh.Orleans.Grains;

/// <summary>
/// One shard's answers to a batch of queries, packed: the hits of query q are
/// <c>Ids[Offsets[q] .. Offsets[q + 1]]</c> with their <see cref="Distances"/>, ordered by (distance, id).
/// </summary>
[GenerateSerializer]
[Alias("dsh.shard-hits")]
public sealed class ShardHits
{
    /// <summary>The ids of all hits, query after query.</summary>
    [Id(0)] public long[] Ids { get; set; } = Array.Empty<long>();

    /// <summary>The distances, one an id.</summary>
    [Id(1)] public int[] Distances { get; set; } = Array.Empty<int>();

    /// <summary>Where each query's hits start; one more entry than queries.</summary>
    [Id(2)] public int[] Offsets { get; set; } = Array.Empty<int>();
}
