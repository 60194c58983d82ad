using Dsh.Orleans.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;
using StackExchange.Redis;

namespace Dsh.Orleans.Tests.Support;

/// <summary>
/// Builds Orleans <see cref="TestCluster"/>s made of the real parts: TCP between silos and client, Redis as the
/// membership table (<c>UseRedisClustering</c>) and as grain storage (<c>AddRedisGrainStorage("dsh-index")</c>), and
/// the Dsh shard grains (<c>UseDshIndex</c>). Membership is tuned to declare a dead silo within seconds.
/// </summary>
public static class TestClusters
{
    private const string RedisKey = "DshTest:Redis";
    private const string MaxLogKey = "DshTest:MaxLogEntries";
    private const string ChunkKey = "DshTest:SnapshotChunkBytes";
    private const string StorageKey = "DshTest:RegisterStorage";
    private const string InnerStorageName = "dsh-index-redis";

    /// <summary>Starts a cluster of <paramref name="silos"/> silos; <paramref name="serviceId"/> names its storage, so a new cluster with the same id sees the same data.</summary>
    public static async Task<TestCluster> StartAsync(RedisServer redis, int silos, string serviceId, int maxLogEntries = 4096, int snapshotChunkBytes = 1 << 20, bool registerStorage = true, bool faultInjection = false)
    {
        var builder = new TestClusterBuilder((short)silos);
        builder.Options.ServiceId = serviceId;
        builder.Options.ClusterId = serviceId + "-" + Guid.NewGuid().ToString("N")[..8];
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.Properties[RedisKey] = redis.ConnectionString;
        builder.Properties[MaxLogKey] = maxLogEntries.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Properties[ChunkKey] = snapshotChunkBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Properties[StorageKey] = registerStorage switch { true => faultInjection ? "faulty" : "yes", false => "no" };
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        TestCluster cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private static ConfigurationOptions Redis(IConfiguration configuration)
    {
        var options = ConfigurationOptions.Parse(configuration[RedisKey] ?? throw new InvalidOperationException("No Redis address in the test cluster configuration."));
        options.AbortOnConnectFail = false;
        return options;
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            IConfiguration configuration = siloBuilder.Configuration;
            siloBuilder.UseRedisClustering(options => options.ConfigurationOptions = Redis(configuration));
            string storage = configuration[StorageKey]!;
            if (storage != "no")
            {
                siloBuilder.AddRedisGrainStorage(storage == "faulty" ? InnerStorageName : DshIndexSiloOptions.DefaultStorageName, options =>
                {
                    options.ConfigurationOptions = Redis(configuration);
                    options.DeleteStateOnClear = true; // old snapshot chunks are deleted, not left as empty keys
                });
            }

            if (storage == "faulty")
            {
                siloBuilder.Services.AddKeyedSingleton<global::Orleans.Storage.IGrainStorage>(DshIndexSiloOptions.DefaultStorageName, (services, _) =>
                    new FaultInjectingGrainStorage(services.GetRequiredKeyedService<global::Orleans.Storage.IGrainStorage>(InnerStorageName)));
            }

            siloBuilder.UseDshIndex(options =>
                {
                    options.MaxLogEntries = int.Parse(configuration[MaxLogKey]!, System.Globalization.CultureInfo.InvariantCulture);
                    options.SnapshotChunkBytes = int.Parse(configuration[ChunkKey]!, System.Globalization.CultureInfo.InvariantCulture);
                });
            siloBuilder.Services.Configure<ClusterMembershipOptions>(options =>
            {
                options.ProbeTimeout = TimeSpan.FromSeconds(1);
                options.NumMissedProbesLimit = 2;
                options.NumVotesForDeathDeclaration = 1;
                options.TableRefreshTimeout = TimeSpan.FromSeconds(1);
                options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
                options.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(10);
            });
            siloBuilder.Services.Configure<SiloMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(10));
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
        {
            clientBuilder
                .UseRedisClustering(options => options.ConfigurationOptions = Redis(configuration))
                .UseDshIndex();
            clientBuilder.Services.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(10));
            clientBuilder.Services.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
        }
    }
}
