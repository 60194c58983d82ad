using Dsh.Orleans.Tests.Support;

namespace Dsh.Orleans.Tests;

/// <summary>A silo set up with UseDshIndex but without the storage provider it names does not start, and says why.</summary>
[Collection(RedisCollection.Name)]
[Trait("Category", "Cluster")]
public sealed class SiloSetupTests(RedisServer redis)
{
    [Fact]
    public async Task A_silo_without_the_named_grain_storage_refuses_to_start()
    {
        Exception e = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var cluster = await TestClusters.StartAsync(redis, silos: 1, "dsh-nostore-" + Guid.NewGuid().ToString("N")[..8], registerStorage: false);
        });
        Assert.Contains("No grain storage named 'dsh-index' is registered", e.ToString(), StringComparison.Ordinal);
    }
}
