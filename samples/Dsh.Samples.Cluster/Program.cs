// A sketch search through an Orleans cluster: two silos and a client in this process (free loopback ports), Redis as
// the membership table and the grain storage. Trains the compact profile on the bundled data (or loads --model), puts
// the test photos' codes into a 2-shard DshClusterIndex, searches it with the test sketches, checks the answers
// against a local HammingIndex, then stops the silo holding the most shards and searches again (its shards come back
// on the other silo, from Redis).
//
//   redis-server --port 6379 --save "" --appendonly no &
//   dotnet run -c Release --project samples/Dsh.Samples.Cluster [-- --redis 127.0.0.1:6379 --epochs 3 --bits 32 --model FILE --data DIR]
//
// Redis: --redis, else DSH_TEST_REDIS, else 127.0.0.1:6379. Exit codes: 0 done, 2 bad arguments or data, 1 anything else.
using System.Globalization;
using System.Net;
using Dsh;
using Dsh.Hashing;
using Dsh.Orleans.Client;
using Dsh.Orleans.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Runtime;
using StackExchange.Redis;
using Dsh.Data;
using Dsh.Training;

try
{
    return await RunAsync(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or DirectoryNotFoundException or SbirDatasetException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    Console.Error.WriteLine($"error: {e.GetType().Name}: {e.Message}");
    return 1;
}

static async Task<int> RunAsync(string[] args)
{
    var inv = CultureInfo.InvariantCulture;
    string Arg(string name, string fallback)
    {
        int at = Array.IndexOf(args, name);
        return at < 0 ? fallback : at + 1 < args.Length ? args[at + 1] : throw new ArgumentException($"{name} needs a value.");
    }

    string redis = Arg("--redis", Environment.GetEnvironmentVariable("DSH_TEST_REDIS") is { Length: > 0 } r ? r : "127.0.0.1:6379");
    int bits = int.Parse(Arg("--bits", "32"), inv), epochs = int.Parse(Arg("--epochs", "2"), inv);
    string data = Arg("--data", FindBundledData() ?? throw new ArgumentException("samples/data/pacs-mini was not found above the current directory; pass --data DIR."));
    string? modelPath = Arg("--model", "") is { Length: > 0 } m ? m : null;

    SbirDataset test = SbirDataset.FromFolders(Path.Combine(data, "test", "sketch"), Path.Combine(data, "test", "photo"));
    using DshModel model = modelPath is not null ? DshModel.Load(modelPath) : Train(data, bits, epochs);
    bits = model.CodeLength;

    // Two silos and a client, as three applications would build them (here in one process, on loopback ports).
    string service = "dsh-sample-" + Guid.NewGuid().ToString("N")[..8];
    IHost silo1 = await StartSiloAsync(redis, service, FreePort(), FreePort());
    IHost silo2 = await StartSiloAsync(redis, service, FreePort(), FreePort());
    IHost client = await StartClientAsync(redis, service);
    try
    {
        var indexes = client.Services.GetRequiredService<DshClusterIndexFactory>();
        DshClusterIndex photos = await indexes.CreateAsync("pacs-mini-photos", bits, shardCount: 2);
        BinaryCodeSet photoCodes = model.EncodePhotos(test.Photos.Select(p => p.Path!));
        long[] ids = Enumerable.Range(0, test.Photos.Count).Select(i => (long)i).ToArray();
        await photos.AddRangeAsync(ids, photoCodes);
        var shards = await photos.GetShardInfoAsync();
        Console.WriteLine($"cluster index '{photos.Name}': {await photos.CountAsync()} photo codes, {bits} bits, shards {string.Join(", ", shards.Select(s => $"{s.ShardIndex}: {s.Count} codes on {s.Silo}"))}");

        BinaryCodeSet sketchCodes = model.EncodeSketches(test.Sketches.Select(s => s.Path!));
        IReadOnlyList<IReadOnlyList<Neighbor>> results = await photos.SearchBatchAsync(sketchCodes.ToList(), k: 10);
        var local = new HammingIndex(bits);
        local.AddRange(ids, photoCodes);
        bool same = results.Zip(local.SearchBatch(sketchCodes.ToList(), 10)).All(p => p.First.SequenceEqual(p.Second));
        double precision = results.Select((hits, q) => hits.Count(h => test.Photos[(int)h.Id].Label == test.Sketches[q].Label) / (double)hits.Count).Average();
        Console.WriteLine(string.Create(inv, $"{test.Sketches.Count} sketch queries through the cluster: P@10 {precision:F3} (chance {1.0 / test.Categories.Count:F3}); equal to a local HammingIndex: {(same ? "yes" : "NO")}"));
        foreach (int category in Enumerable.Range(0, Math.Min(3, test.Categories.Count)))
        {
            int q = test.Sketches.Select((s, i) => (s, i)).First(p => p.s.Label == category).i;
            IReadOnlyList<Neighbor> top = await photos.SearchAsync(sketchCodes[q], k: 5);
            Console.WriteLine($"query {Path.GetFileName(test.Sketches[q].Path)} ({test.Categories[category]}): " +
                              string.Join(", ", top.Select(n => $"{test.Categories[test.Photos[(int)n.Id].Label]}@{n.Distance}")));
        }

        // The silo holding the most shards goes away: they are reactivated on the other from Redis, and the answers do not change.
        string busiest = shards.GroupBy(s => s.Silo).OrderByDescending(g => g.Count()).First().Key;
        IHost stopped = SiloAddressOf(silo1) == busiest ? silo1 : silo2;
        Console.WriteLine($"stopping the silo at {busiest}");
        await stopped.StopAsync();
        IReadOnlyList<IReadOnlyList<Neighbor>> after = await photos.SearchBatchAsync(sketchCodes.ToList(), k: 10);
        bool unchanged = after.Zip(results).All(p => p.First.SequenceEqual(p.Second));
        Console.WriteLine($"after stopping it: shards on {string.Join(", ", (await photos.GetShardInfoAsync()).Select(s => s.Silo).Distinct())}; same answers: {(unchanged ? "yes" : "NO")}");
        return same && unchanged ? 0 : 1;
    }
    finally
    {
        await client.StopAsync();
        await silo2.StopAsync();
        await silo1.StopAsync();
    }
}

static string SiloAddressOf(IHost silo) => silo.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString();

static DshModel Train(string data, int bits, int epochs)
{
    SbirDataset train = SbirDataset.FromFolders(Path.Combine(data, "train", "sketch"), Path.Combine(data, "train", "photo"));
    DshTrainerOptions options = DshProfile.Compact.TrainerOptions(bits) with { Epochs = epochs, BatchSize = 8 };
    Console.WriteLine($"training the compact profile, {bits} bits, {epochs} epochs on {train.Sketches.Count} sketches + {train.Photos.Count} photos");
    return new DshTrainer(options).Fit(train, null, CancellationToken.None);
}

static async Task<IHost> StartSiloAsync(string redis, string service, int siloPort, int gatewayPort)
{
    HostApplicationBuilder builder = Host.CreateApplicationBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Error);
    builder.UseOrleans(silo => silo
        .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (service, service))
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

static async Task<IHost> StartClientAsync(string redis, string service)
{
    HostApplicationBuilder builder = Host.CreateApplicationBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Error);
    builder.UseOrleansClient(client => client
        .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (service, service))
        .UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis))
        .UseDshIndex());
    IHost host = builder.Build();
    await host.StartAsync();
    return host;
}

static int FreePort()
{
    using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static string? FindBundledData()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        string candidate = Path.Combine(dir.FullName, "samples", "data", "pacs-mini");
        if (Directory.Exists(candidate))
        {
            return candidate;
        }
    }

    return null;
}
