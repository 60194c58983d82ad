namespace Dsh.Orleans.State;

/// <summary>What is fixed when a cluster index is created: the code length and the shard count.</summary>
[GenerateSerializer]
[Alias("dsh.index-metadata")]
public sealed class IndexMetadata
{
    /// <summary>The code length; 0 while the index does not exist. Named <c>Bits</c> because that is its stored name: grain storage keeps state by property name (JSON by default), so a rename would leave stored indexes unreadable.</summary>
    [Id(0)] public int Bits { get; set; }

    /// <summary>The shard count, fixed at creation.</summary>
    [Id(1)] public int ShardCount { get; set; }

    /// <summary>When the index was created (UTC).</summary>
    [Id(2)] public DateTime CreatedUtc { get; set; }
}
