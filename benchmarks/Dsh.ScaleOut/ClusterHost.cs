using System.Net;
using Dsh.Orleans.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Dsh.ScaleOut;

/// <summary>Silos and a client as a production application builds them: TCP, Redis membership and Redis grain storage.</summary>
internal static class ClusterHost
{
    public static async Task<IHost> StartSiloAsync(string redis, string serviceId, int siloPort, int gatewayPort)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (serviceId, serviceId))
            .ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort)
            .UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis))
            .AddRedisGrainStorage(DshIndexSiloOptions.DefaultStorageName, o =>
            {
                o.ConfigurationOptions = ConfigurationOptions.Parse(redis);
                o.DeleteStateOnClear = true; // old snapshot chunks are deleted, not left as empty keys
            })
            .UseDshIndex());
        IHost host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<IHost> StartClientAsync(string redis, string serviceId)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (serviceId, serviceId))
            .UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis))
            .UseDshIndex());
        IHost host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
