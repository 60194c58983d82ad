using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Dsh.Orleans.Tests.Support;

/// <summary>
/// The real Redis the cluster tests use: the server <c>.ci/run</c> started (its address in <c>DSH_TEST_REDIS</c>), or
/// else a private <c>redis-server</c> (Debian package <c>redis-server</c>) started on a free loopback port with no
/// disk persistence and stopped with the test run.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private readonly Process? _process;

    public RedisServer()
    {
        string? given = Environment.GetEnvironmentVariable("DSH_TEST_REDIS");
        if (!string.IsNullOrWhiteSpace(given))
        {
            ConnectionString = given;
        }
        else
        {
            int port = FreePort();
            string server = File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "redis-server";
            try
            {
                _process = Process.Start(new ProcessStartInfo(server)
                {
                    ArgumentList = { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
                    UseShellExecute = false,
                });
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException("The cluster tests need Redis: install the Debian package redis-server (bash .ci/run does), or set DSH_TEST_REDIS=host:port.", e);
            }

            ConnectionString = $"127.0.0.1:{port}";
        }

        WaitUntilReachable();
    }

    /// <summary>host:port of the server.</summary>
    public string ConnectionString { get; }

    /// <summary>A StackExchange.Redis configuration for the server.</summary>
    public ConfigurationOptions Configuration()
    {
        var options = ConfigurationOptions.Parse(ConnectionString);
        options.AbortOnConnectFail = false;
        return options;
    }

    /// <summary>How many keys match a Redis glob pattern.</summary>
    public int CountKeys(string pattern)
    {
        using ConnectionMultiplexer connection = ConnectionMultiplexer.Connect(Configuration());
        return connection.GetServers().Sum(server => server.Keys(pattern: pattern).Count());
    }

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
    }

    private void WaitUntilReachable()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using ConnectionMultiplexer redis = ConnectionMultiplexer.Connect(ConnectionString);
                redis.GetDatabase().Ping();
                return;
            }
            catch (RedisConnectionException) when (clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                Thread.Sleep(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
