using Microsoft.Extensions.Configuration;

namespace Dsh.WebDemo;

/// <summary>What the demo serves and how it gets its model; read from the command line, validated once.</summary>
public sealed record DemoOptions
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>A saved <see cref="DshModel"/> file; null: train one with <c>--profile</c> (or reuse the cached one).</summary>
    public string? ModelPath { get; init; }

    /// <summary>The gallery: <c>&lt;dir&gt;/&lt;category&gt;/&lt;image&gt;</c>.</summary>
    public required string PhotosDirectory { get; init; }

    /// <summary>Training data (<c>sketch/</c> and <c>photo/</c> sub-folders), used when no model file is given.</summary>
    public string? TrainDirectory { get; init; }

    /// <summary>The built-in model's profile: "resnet18" (default) or "compact".</summary>
    public string Profile { get; init; } = "resnet18";

    public int Bits { get; init; } = 32;
    public int Epochs { get; init; } = 4;
    public int Seed { get; init; } = 1;

    /// <summary>Where trained models are cached (default: the temp folder).</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>The loopback URLs to listen on (normalised to 127.0.0.1).</summary>
    public required IReadOnlyList<string> Urls { get; init; }

    public const string Usage = """
        Dsh web demo: draw a sketch in the browser, see the nearest photos.
        usage: dotnet run --project samples/Dsh.WebDemo -c Release -- [options]
          --urls URL        where to listen, 127.0.0.1 only (default http://127.0.0.1:5080; port 0 picks a free one)
          --model FILE      a saved DshModel; without it a model (--profile) is trained on the bundled data (and cached)
          --photos DIR      the gallery, DIR/<category>/<image> (default: the bundled pacs-mini/test/photo)
          --train DIR       training data for the built-in model, DIR/sketch/<category>, DIR/photo/<category>
                            (default: the bundled pacs-mini/train)
          --profile P       the built-in model: resnet18 (default; ImageNet trunks, 224 px) or compact (64 px, from scratch)
          --bits N          code length of the built-in model (default 32)
          --epochs N        epochs of the built-in model (default 4 for resnet18, 12 for compact)
          --seed N          seed of the built-in model (default 1)
          --cache-dir DIR   where the built-in model is cached (default: the temp folder)

        The default built-in model is the ResNet18 profile: on the bundled data it puts 77 % of the top 10 in the
        query's category (4 epochs), where the compact profile reaches 19 % (12 epochs; chance is 14 %).
        """;

    /// <summary>Reads and checks the options; a problem is one <see cref="DemoOptionsException"/> line.</summary>
    public static DemoOptions From(IConfiguration config, string currentDirectory)
    {
        string? model = config["model"];
        if (model is not null && !File.Exists(model))
        {
            throw new DemoOptionsException($"--model: no such file '{model}'.");
        }

        string? bundled = BundledData.Find(currentDirectory);
        string photos = config["photos"] ?? (bundled is null ? "" : Path.Combine(bundled, "test", "photo"));
        if (photos.Length == 0)
        {
            throw new DemoOptionsException("--photos: not given, and the bundled samples/data/pacs-mini was not found (run from the repository or pass --photos DIR).");
        }
        if (!Directory.Exists(photos))
        {
            throw new DemoOptionsException($"--photos: no such folder '{photos}'.");
        }

        string? train = null;
        if (model is null)
        {
            train = config["train"] ?? (bundled is null ? null : Path.Combine(bundled, "train"));
            if (train is null)
            {
                throw new DemoOptionsException("--train: not given, and the bundled samples/data/pacs-mini was not found (pass --model FILE or --train DIR).");
            }
            if (!Directory.Exists(Path.Combine(train, "sketch")) || !Directory.Exists(Path.Combine(train, "photo")))
            {
                throw new DemoOptionsException($"--train: '{train}' needs the sub-folders sketch/ and photo/.");
            }
        }

        string profile = (config["profile"] ?? "resnet18").ToLowerInvariant();
        if (profile is not ("resnet18" or "compact"))
        {
            throw new DemoOptionsException($"--profile: '{config["profile"]}' is not resnet18 or compact.");
        }
        string cache = config["cache-dir"] ?? Path.GetTempPath();
        return new DemoOptions
        {
            ModelPath = model is null ? null : Path.GetFullPath(model),
            PhotosDirectory = Path.GetFullPath(photos),
            TrainDirectory = train is null ? null : Path.GetFullPath(train),
            Profile = profile,
            Bits = ReadInt(config, "bits", 32, 8, 512),
            Epochs = ReadInt(config, "epochs", profile == "compact" ? 12 : 4, 1, 500),
            Seed = ReadInt(config, "seed", 1, int.MinValue, int.MaxValue),
            CacheDirectory = Path.GetFullPath(cache),
            Urls = LoopbackUrls.Parse(config["urls"] ?? DefaultUrl),
        };
    }

    private static int ReadInt(IConfiguration config, string key, int fallback, int min, int max)
    {
        string? text = config[key];
        if (text is null)
        {
            return fallback;
        }
        if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            throw new DemoOptionsException($"--{key}: '{text}' is not a whole number from {min} to {max}.");
        }
        return value;
    }
}

/// <summary>A bad command-line option; its message is one line for the user.</summary>
public sealed class DemoOptionsException(string message) : Exception(message);
