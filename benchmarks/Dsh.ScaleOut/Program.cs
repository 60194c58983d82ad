// Scale-out benchmark (issue #8, docs/scale-out.md): queries/s and latency percentiles of exact top-k search over
// N x 128-bit codes in a local HammingIndex and in a Dsh.Orleans cluster index of 1, 2 and 4 shards on two silos of
// this machine (TCP, Redis membership and storage), plus the cost of one hop (a search of an empty one-shard index).
//
//   dotnet run -c Release --project benchmarks/Dsh.ScaleOut -- [--redis host:port] [--codes 1000000] [--queries 2000] [--k 10]
//
// Redis: --redis, else DSH_TEST_REDIS, else 127.0.0.1:6379 (e.g. redis-server --port 6379 --save "" --appendonly no).
using System.Diagnostics;
using System.Globalization;
using Dsh.Hashing;
using Dsh.Orleans.Client;
using Dsh.ScaleOut;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var inv = CultureInfo.InvariantCulture;
string Arg(string name, string fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}

string redis = Arg("--redis", Environment.GetEnvironmentVariable("DSH_TEST_REDIS") is { Length: > 0 } r ? r : "127.0.0.1:6379");
int codes = int.Parse(Arg("--codes", "1000000"), inv);
int queries = int.Parse(Arg("--queries", "2000"), inv);
int k = int.Parse(Arg("--k", "10"), inv);
const int bits = 128;
string service = "dsh-scaleout-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", inv);

Console.WriteLine($"{codes:N0} x {bits}-bit codes, {queries:N0} queries, k = {k}; {Environment.ProcessorCount} cores; Redis {redis}; kernel {new HammingIndex(bits).Kernel}");
var random = new Random(2017);
var words = new ulong[codes * 2];
for (int i = 0; i < words.Length; i++)
{
    words[i] = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63);
}

BinaryCodeSet all = BinaryCodeSet.FromWords(words, bits);
long[] ids = Enumerable.Range(0, codes).Select(i => (long)i).ToArray();
BinaryCode[] queryCodes = Enumerable.Range(0, queries).Select(_ => all[random.Next(codes)]).ToArray();

long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
var local = new HammingIndex(bits);
local.AddRange(ids, all);
local.Search(queryCodes[0], k); // builds the search layout
long heapAfter = GC.GetTotalMemory(forceFullCollection: true);
Console.WriteLine(string.Create(inv, $"local HammingIndex: {(heapAfter - heapBefore) / (double)codes:F1} bytes of managed heap per {bits}-bit code (ids, codes, search layout, id map)"));
var rows = new List<Latency>
{
    await Latency.MeasureAsync("local HammingIndex", queries, 1, i => { local.Search(queryCodes[i], k); return Task.CompletedTask; }),
    await Latency.MeasureAsync("local HammingIndex", queries, 2, i => { local.Search(queryCodes[i], k); return Task.CompletedTask; }),
};
Console.WriteLine(rows[0].Row());

IHost silo1 = await ClusterHost.StartSiloAsync(redis, service, ClusterHost.FreePort(), ClusterHost.FreePort());
IHost silo2 = await ClusterHost.StartSiloAsync(redis, service, ClusterHost.FreePort(), ClusterHost.FreePort());
IHost client = await ClusterHost.StartClientAsync(redis, service);
try
{
    DshClusterIndexFactory factory = client.Services.GetRequiredService<DshClusterIndexFactory>();

    // One hop: a search of an empty one-shard index is a client → silo → grain → client round trip and nothing else.
    DshClusterIndex empty = await factory.CreateAsync("empty", bits, 1);
    await empty.SearchAsync(queryCodes[0], k);
    rows.Add(await Latency.MeasureAsync("one hop (empty 1-shard index)", queries, 1, i => empty.SearchAsync(queryCodes[i], k)));
    Console.WriteLine(rows[^1].Row());

    foreach (int shards in new[] { 1, 2, 4 })
    {
        DshClusterIndex index = await factory.CreateAsync($"photos-{shards}", bits, shards);
        var load = Stopwatch.StartNew();
        const int batch = 250_000;
        for (int start = 0; start < codes; start += batch)
        {
            int n = Math.Min(batch, codes - start);
            await index.AddRangeAsync(ids[start..(start + n)], BinaryCodeSet.FromWords(all.Words.Slice(start * 2, n * 2), bits));
        }

        double loadSeconds = load.Elapsed.TotalSeconds;
        string silos = string.Join(", ", (await index.GetShardInfoAsync()).Select(s => s.Silo).Distinct());
        Console.WriteLine(string.Create(inv, $"{shards} shard(s): loaded {codes:N0} codes in {loadSeconds:F1} s (persisted to Redis); shards on {silos}"));
        for (int q = 0; q < 20; q++)
        {
            IReadOnlyList<Neighbor> expected = local.Search(queryCodes[q], k);
            if (!expected.SequenceEqual(await index.SearchAsync(queryCodes[q], k)))
            {
                throw new InvalidOperationException($"{shards} shards: query {q} differs from the local index.");
            }
        }

        foreach (int inFlight in new[] { 1, 2, 8 })
        {
            rows.Add(await Latency.MeasureAsync($"cluster, {shards} shard(s)", queries, inFlight, i => index.SearchAsync(queryCodes[i], k)));
            Console.WriteLine(rows[^1].Row());
        }

        // Single adds: each one is written to Redis (the shard's log) before it returns.
        const int adds = 2000;
        rows.Add(await Latency.MeasureAsync($"single AddAsync, {shards} shard(s)", adds, 1, i => index.AddAsync(codes + (long)i, queryCodes[i % queries])));
        Console.WriteLine(rows[^1].Row());
    }
}
finally
{
    await client.StopAsync();
    await silo2.StopAsync();
    await silo1.StopAsync();
}

Console.WriteLine();
Console.WriteLine(Latency.Header);
foreach (Latency row in rows)
{
    Console.WriteLine(row.Row());
}
