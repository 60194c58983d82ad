// Serving benchmark (docs/serving.md, "Throughput and latency"): queries/s and latency of `dsh serve` as a real child
// process, over a gallery of N random codes, for 1, 4 and 16 concurrent HTTP clients posting real sketches to
// /api/search; the server's own encode and search times come from its answers, its peak memory from /proc.
//
//   dotnet run -c Release --project benchmarks/Dsh.ServeLoad -- --model M.dshm
//       [--index G.dshg | --count 1000000 [--bits B]] [--cli src/Dsh.Cli/bin/Release/net10.0/Dsh.Cli.dll]
//       [--sketches samples/data/pacs-mini/test/sketch] [--clients 1,4,16] [--warmup 5] [--seconds 30] [--repeat 1]
//       [--k 10] [--max-concurrent N] [--queue 1000] [--mirror-sketches true|false] [--label TEXT]
//
// Build the CLI first (dotnet build -c Release src/Dsh.Cli). Without --index a gallery of --count random codes of the
// model's code length is written to a temporary folder and deleted at the end. --repeat R measures each client count
// R times (one warm-up each) and reports the medians.
using System.Diagnostics;
using System.Globalization;
using Dsh.ServeLoad;

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or IOException)
{
    Console.Error.WriteLine($"Dsh.ServeLoad: {e.Message}");
    return 2;
}

var inv = CultureInfo.InvariantCulture;
ModelHeader model = ModelHeader.Read(options.ModelPath);
byte[][] sketches = Directory.EnumerateFiles(options.SketchDir, "*.png", SearchOption.AllDirectories)
    .Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
if (sketches.Length == 0)
{
    Console.Error.WriteLine($"Dsh.ServeLoad: no PNG under {options.SketchDir}");
    return 2;
}
string label = options.Label ?? Path.GetFileName(options.ModelPath);
Console.WriteLine($"machine: {Report.Machine()}");
Console.WriteLine($"model: {options.ModelPath} ({model}); {sketches.Length} sketches from {options.SketchDir}");

string? tempDir = null;
string galleryPath = options.IndexPath ?? "";
if (options.IndexPath is null)
{
    tempDir = Directory.CreateTempSubdirectory("dsh-serveload-").FullName;
    galleryPath = Path.Combine(tempDir, "gallery.dshg");
    int bits = options.Bits ?? model.CodeLength;
    double took = RandomGallery.Write(galleryPath, options.Count, bits);
    Console.WriteLine(string.Create(inv, $"gallery: {options.Count:N0} random {bits}-bit codes written in {took:F1} s, {new FileInfo(galleryPath).Length / 1048576.0:F1} MiB: {galleryPath}"));
}

var serveArgs = new List<string>
{
    "--model", options.ModelPath, "--index", galleryPath, "--urls", "http://127.0.0.1:0",
    "--queue", options.Queue.ToString(inv),
};
if (options.MaxConcurrent is { } maxConcurrent)
{
    serveArgs.AddRange(["--max-concurrent", maxConcurrent.ToString(inv)]);
}
if (options.MirrorSketches is { } mirrorSketches)
{
    serveArgs.AddRange(["--mirror-sketches", mirrorSketches ? "true" : "false"]);
}
string maxConcurrentText = options.MaxConcurrent?.ToString(inv) ?? "2 (default)";

var rows = new List<RunStats>();
int exit = 0;
try
{
    using ServeProcess server = ServeProcess.Start(options.CliDll, serveArgs);
    var startClock = Stopwatch.StartNew();
    Uri address = await server.ListeningAsync(TimeSpan.FromMinutes(5));
    Console.WriteLine(string.Create(inv,
        $"server: pid {server.Id}, listening on {address} after {startClock.Elapsed.TotalSeconds:F1} s, RSS {server.MemoryMiB("VmRSS"):F0} MiB; dsh serve {string.Join(' ', serveArgs)}"));

    foreach (int clients in options.Clients)
    {
        using var load = new LoadClients(address, sketches, clients, options.K);
        var runs = new List<RunStats>();
        for (int r = 0; r < options.Repeat; r++)
        {
            if (options.WarmupSeconds > 0)
            {
                await load.RunAsync(TimeSpan.FromSeconds(options.WarmupSeconds), firstSketch: r * 7);
            }
            TimeSpan serverCpu = server.CpuTime(), clientCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var (seconds, samples) = await load.RunAsync(TimeSpan.FromSeconds(options.Seconds), firstSketch: r * 7 + 3);
            runs.Add(RunStats.Of(clients, seconds, samples, server.CpuTime() - serverCpu, Process.GetCurrentProcess().TotalProcessorTime - clientCpu));
            Console.WriteLine($"  run {r + 1}/{options.Repeat}: {runs[^1].Line()}; {Report.LoadAverage()}");
        }
        rows.Add(RunStats.Median(runs));
    }

    double peak = server.MemoryMiB("VmHWM");
    int? code = await server.StopAsync(TimeSpan.FromSeconds(60));
    Console.WriteLine(string.Create(inv, $"server: peak memory (VmHWM) {peak:F0} MiB; SIGTERM → {(code is { } c ? $"exit code {c}" : "did not exit in 60 s, killed")}"));
    if (code != 0)
    {
        exit = 1;
    }
    string[] problems = server.Log.Split('\n').Where(l => l.Contains(" warn:", StringComparison.Ordinal) || l.Contains(" fail:", StringComparison.Ordinal)
        || l.Contains(" crit:", StringComparison.Ordinal) || l.Contains("Unhandled", StringComparison.Ordinal)).ToArray();
    if (problems.Length > 0)
    {
        Console.WriteLine($"server log: {problems.Length} warning/error line(s), the first:");
        foreach (string line in problems.Take(10))
        {
            Console.WriteLine("  " + line.TrimEnd());
        }
    }
}
finally
{
    if (tempDir is not null)
    {
        Directory.Delete(tempDir, recursive: true);
    }
}

Console.WriteLine();
Console.WriteLine(string.Create(inv,
    $"{label}: {options.Count:N0}-code gallery, k = {options.K}, {options.WarmupSeconds:F0} s warm-up + {options.Seconds:F0} s measured, median of {options.Repeat} run(s)"));
Console.WriteLine(Report.Header);
foreach (RunStats row in rows)
{
    Console.WriteLine(Report.Row(label, maxConcurrentText, row));
}
return exit;
