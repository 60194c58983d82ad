using Orleans.TestingHost;

namespace Dsh.Orleans.Tests.Support;

/// <summary>One 3-silo Redis cluster shared by a test class (small log and chunks, so snapshots and log replay both happen).</summary>
public sealed class ThreeSiloCluster : IAsyncLifetime
{
    private readonly RedisServer _redis;

    public ThreeSiloCluster(RedisServer redis) => _redis = redis;

    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Cluster = await TestClusters.StartAsync(_redis, silos: 3, serviceId: "dsh-eq-" + Guid.NewGuid().ToString("N")[..8], maxLogEntries: 64, snapshotChunkBytes: 4096);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
