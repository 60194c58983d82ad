using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Dsh.Samples.Tests.Support;

namespace Dsh.Samples.Tests;

/// <summary>
/// The cluster sample, on the packages: two silos and a client on Redis, the bundled test photos in a 2-shard cluster
/// index, the test sketches searched through it with the answers equal to a local index, before and after the silo
/// holding the most shards stops. Redis: DSH_TEST_REDIS (.ci/run starts one), else a private redis-server.
/// </summary>
[Trait("Category", "Slow")]
public class ClusterSampleTests
{
    private const string Sample = "Dsh.Samples.Cluster";

    [Fact]
    public void Searches_through_two_silos_and_survives_stopping_one()
    {
        using var redis = new PrivateRedis();
        ChildProcess.Result result = ChildProcess.RunDll(SampleBuild.DllOf(Sample), ["--epochs", "2", "--bits", "32", "--redis", redis.Address],
            TimeSpan.FromMinutes(10), SampleBuild.OutputOf(Sample));
        Assert.True(result.ExitCode == 0, result.All);
        string output = result.StandardOutput;
        Assert.Matches(@"cluster index 'pacs-mini-photos': 70 photo codes, 32 bits, shards 0: \d+ codes on S[\d.:]+, 1: \d+ codes on", output);
        Assert.Contains("70 sketch queries through the cluster", output, StringComparison.Ordinal);
        Assert.Contains("equal to a local HammingIndex: yes", output, StringComparison.Ordinal);
        Assert.Equal(3, OutputParsing.Numbers(output, @"^query .*\(\w+\): \w+@([0-9]+)").Length);
        Assert.Matches(@"stopping the silo at S[\d.:]+", output);
        Assert.Contains("same answers: yes", output, StringComparison.Ordinal);
        string stopped = OutputParsing.Text(output, @"stopping the silo at (S[\d.:]+)");
        string after = OutputParsing.Text(output, @"after stopping it: shards on (.*);");
        Assert.DoesNotContain(stopped, after, StringComparison.Ordinal);
        double precision = OutputParsing.Number(output, @"P@10 ([0-9.]+) ");
        Assert.InRange(precision, 0.0, 1.0);
    }

    /// <summary>The Redis of DSH_TEST_REDIS, or a redis-server of our own on a free port for the test's life.</summary>
    private sealed class PrivateRedis : IDisposable
    {
        private readonly Process? _server;

        public PrivateRedis()
        {
            if (Environment.GetEnvironmentVariable("DSH_TEST_REDIS") is { Length: > 0 } given)
            {
                Address = given;
                return;
            }

            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            _server = Process.Start(new ProcessStartInfo("redis-server")
            {
                ArgumentList = { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException("redis-server did not start (Debian package redis-server).");
            Address = $"127.0.0.1:{port}";
            for (int i = 0; i < 100; i++)
            {
                try
                {
                    using var probe = new TcpClient();
                    probe.Connect(IPAddress.Loopback, port);
                    return;
                }
                catch (SocketException)
                {
                    Thread.Sleep(100);
                }
            }
        }

        public string Address { get; }

        public void Dispose()
        {
            if (_server is { HasExited: false })
            {
                _server.Kill();
                _server.WaitForExit(10_000);
            }

            _server?.Dispose();
        }
    }
}
