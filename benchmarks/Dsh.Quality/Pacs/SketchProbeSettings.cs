using System.Globalization;

namespace Dsh.Quality.Pacs;

/// <summary>
/// The keys of <c>sketch-classifier</c>, validated: <c>epochs</c> (6), <c>lr</c> (1e-2), <c>seed</c> (1), <c>frozen</c>
/// (3: stem and layers 1–3 fixed; 2: layer3 learns too; 1: layers 2–4 learn), <c>qd</c> / <c>qdEpochs</c> (0 / 2: first
/// teach the learning stages the 345 QuickDraw categories on <c>qd</c> drawings each), <c>thicken</c> (0: widen strokes by
/// that many px), <c>fit</c> (off: crop each sketch to its ink's bounding box plus that share of its longer side on each
/// side, on a white square), <c>skip</c> (0; 1: the head reads the pooled layer3 maps beside layer4's), <c>mapCrop</c>
/// (0: each training batch's layer3 maps lose a random even border of up to that many cells, and half the batches are
/// mirrored), <c>tokens</c> (0; 1: the training photos' sketch-token maps join the training sketches with their labels).
/// </summary>
internal sealed record SketchProbeSettings
{
    private static readonly string[] Known = ["epochs", "lr", "qd", "qdEpochs", "seed", "thicken", "frozen", "fit", "skip", "mapCrop", "tokens"];

    public int Epochs { get; init; } = 6;
    public double LearningRate { get; init; } = 1e-2;
    public int QuickDrawPerCategory { get; init; }
    public int QuickDrawEpochs { get; init; } = 2;
    public int Seed { get; init; } = 1;
    public int Thicken { get; init; }
    public int Frozen { get; init; } = 3;
    public double? FitMargin { get; init; }
    public bool Skip { get; init; }
    public int MapCrop { get; init; }
    public bool Tokens { get; init; }

    /// <summary>Parses <c>key=value</c> arguments; unknown keys and values out of range throw, naming the key.</summary>
    public static SketchProbeSettings Parse(string[] args)
    {
        var keys = args.Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
        if (keys.Keys.FirstOrDefault(k => !Known.Contains(k)) is { } unknown)
        {
            throw new ArgumentException($"Unknown key '{unknown}': use {string.Join(", ", Known)}.", nameof(args));
        }
        string? Key(string name) => keys.TryGetValue(name, out string? v) ? v : null;
        int Int(string name, int fallback) => Key(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        double Double(string name, double fallback) => Key(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var settings = new SketchProbeSettings
        {
            Epochs = Int("epochs", 6),
            LearningRate = Double("lr", 1e-2),
            QuickDrawPerCategory = Int("qd", 0),
            QuickDrawEpochs = Int("qdEpochs", 2),
            Seed = Int("seed", 1),
            Thicken = Int("thicken", 0),
            Frozen = Int("frozen", 3),
            FitMargin = Key("fit") is null ? null : Double("fit", 0),
            Skip = Int("skip", 0) == 1,
            MapCrop = Int("mapCrop", 0),
            Tokens = Int("tokens", 0) == 1,
        };
        return settings.Validated();
    }

    private SketchProbeSettings Validated()
    {
        void Require(bool ok, string key, string rule)
        {
            if (!ok)
            {
                throw new ArgumentOutOfRangeException(key, $"{key} {rule}.");
            }
        }
        Require(Epochs >= 0, "epochs", "must be ≥ 0");
        Require(LearningRate > 0, "lr", "must be > 0");
        Require(QuickDrawPerCategory >= 0, "qd", "must be ≥ 0");
        Require(QuickDrawEpochs >= 0, "qdEpochs", "must be ≥ 0");
        Require(Thicken is >= 0 and <= 8, "thicken", "must be 0 to 8");
        Require(Frozen is >= 1 and <= 3, "frozen", "must be 1, 2 or 3");
        Require(FitMargin is null or (>= 0 and <= 1), "fit", "must be 0 to 1");
        Require(!Skip || Frozen == 3, "skip", "needs frozen=3 (the cached maps are layer3's)");
        Require(MapCrop is >= 0 and <= 6, "mapCrop", "must be 0 to 6");
        return this;
    }

    /// <summary>The features the head reads: 512 pooled layer4 channels, with <see cref="Skip"/> 256 pooled layer3 channels before them.</summary>
    public int HeadInputs => Skip ? 768 : 512;
}
