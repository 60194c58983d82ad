using System.Globalization;

namespace Dsh.ServeLoad;

/// <summary>The command line, parsed simply: <c>--name value</c> pairs; see Program.cs for the list.</summary>
internal sealed record LoadOptions
{
    public required string ModelPath { get; init; }

    /// <summary>An existing gallery to serve; null: make one of <see cref="Count"/> random codes.</summary>
    public string? IndexPath { get; init; }

    public int Count { get; init; } = 1_000_000;

    /// <summary>The code length of a made gallery; null: read from the model file.</summary>
    public int? Bits { get; init; }

    public required string CliDll { get; init; }

    public required string SketchDir { get; init; }

    public IReadOnlyList<int> Clients { get; init; } = [1, 4, 16];

    public double WarmupSeconds { get; init; } = 5;

    public double Seconds { get; init; } = 30;

    /// <summary>Measured runs at each client count; the table shows their medians.</summary>
    public int Repeat { get; init; } = 1;

    public int K { get; init; } = 10;

    /// <summary>Passed to <c>dsh serve --max-concurrent</c>; null: the server's default.</summary>
    public int? MaxConcurrent { get; init; }

    public int Queue { get; init; } = 1000;

    /// <summary>Passed to <c>dsh serve --mirror-sketches</c>; null: as the model says.</summary>
    public bool? MirrorSketches { get; init; }

    /// <summary>The first column of the table; null: the model file's name.</summary>
    public string? Label { get; init; }

    public static LoadOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected --name value pairs, got '{args[i]}'");
            }
            values[args[i]] = args[i + 1];
        }

        string? Get(string name) => values.Remove(name, out string? v) ? v : null;
        int? Int(string name) => Get(name) is { } v ? int.Parse(v, NumberStyles.None, CultureInfo.InvariantCulture) : null;
        double? Real(string name) => Get(name) is { } v ? double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture) : null;

        string repo = RepositoryRoot();
        var options = new LoadOptions
        {
            ModelPath = Path.GetFullPath(Get("--model") ?? throw new ArgumentException("--model FILE is required")),
            IndexPath = Get("--index") is { } index ? Path.GetFullPath(index) : null,
            Count = Int("--count") ?? 1_000_000,
            Bits = Int("--bits"),
            CliDll = Path.GetFullPath(Get("--cli") ?? Path.Combine(repo, "src", "Dsh.Cli", "bin", "Release", "net10.0", "Dsh.Cli.dll")),
            SketchDir = Path.GetFullPath(Get("--sketches") ?? Path.Combine(repo, "samples", "data", "pacs-mini", "test", "sketch")),
            Clients = Get("--clients") is { } clients
                ? clients.Split(',').Select(c => int.Parse(c, NumberStyles.None, CultureInfo.InvariantCulture)).ToList()
                : [1, 4, 16],
            WarmupSeconds = Real("--warmup") ?? 5,
            Seconds = Real("--seconds") ?? 30,
            Repeat = Int("--repeat") ?? 1,
            K = Int("--k") ?? 10,
            MaxConcurrent = Int("--max-concurrent"),
            Queue = Int("--queue") ?? 1000,
            MirrorSketches = Get("--mirror-sketches") is { } mirror ? bool.Parse(mirror) : null,
            Label = Get("--label"),
        };
        if (values.Count > 0)
        {
            throw new ArgumentException($"unknown option {values.Keys.First()}");
        }
        if (options.Count < 1 || options.Repeat < 1 || options.K < 1 || options.Seconds <= 0 || options.WarmupSeconds < 0
            || options.Clients.Count == 0 || options.Clients.Any(c => c < 1))
        {
            throw new ArgumentException("--count, --repeat, --k, --seconds and every --clients value must be positive, --warmup 0 or more");
        }
        foreach (string file in new[] { options.ModelPath, options.CliDll }.Concat(options.IndexPath is null ? [] : [options.IndexPath]))
        {
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"no such file: {file}", file);
            }
        }
        return options;
    }

    /// <summary>The folder holding Dsh.sln, above the current folder or above this program; else the current folder.</summary>
    private static string RepositoryRoot()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Dsh.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        return Directory.GetCurrentDirectory();
    }
}
