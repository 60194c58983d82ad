using System.Globalization;
using Dsh.Data;
using Dsh.Imaging;
using Dsh.Imaging.Contours;
using Dsh.Pretrained;
using static TorchSharp.torch;

namespace Dsh.Quality.Pacs;

/// <summary>
/// <c>class-probe [pacsRoot] [outDir]</c>: how well frozen ImageNet ResNet-18 features name the category of the PACS
/// validation items. A ridge classifier (one-hot targets, features standardised on the training items) fitted on the
/// training photos is scored on the gallery photos, and one fitted on the training sketches on the query sketches: the
/// photo side's ceiling when the photo trunk stays frozen, beside what the trained DSH photo codes reach
/// (<c>geometry=1</c>: gallery photos nearest their own class's code). <c>class-probe photos SIZE…</c> recomputes the
/// photos' features at each input side, as they are and averaged with their mirror image, and probes those;
/// <c>class-probe pooling</c> probes the sketches and photos with the last stage's maps pooled four ways.
/// </summary>
internal static class ClassProbe
{
    public static int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "photos")
        {
            return PhotoSizes(args[1..].Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray());
        }
        if (args.Length > 0 && args[0] == "pooling")
        {
            return Pooling();
        }
        string pacsRoot = Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine(RepoRoot.Find(), "..", "shared", "data", "pacs"));
        string outDir = args.Length > 1 ? args[1] : "/tmp/dsh-results";
        SbirDataset all = SbirDataset.FromFolders(Path.Combine(pacsRoot, "sketch"), Path.Combine(pacsRoot, "photo"));
        var split = GroupedValidationSplit.Create(all, 0.2, DshPacsTraining.Seed);
        var entries = all.Sketches.Select(s => new FrozenFeatureCache.Entry(s.Path!, true))
            .Concat(all.Photos.Select(p => new FrozenFeatureCache.Entry(p.Path!, false))).ToList();
        var (features, _) = FrozenFeatureCache.LoadOrCompute(entries, pacsRoot, Path.Combine(outDir, "features-224.bin"), 224, 32);
        var rows = new FeatureRows(entries, features);
        Header();
        foreach (var (name, train, test, sketches) in new[]
        {
            ("training photos", split.TrainPhotos, split.GalleryPhotos, false),
            ("training sketches", split.TrainSketches, split.QuerySketches, true),
        })
        {
            using var scope = NewDisposeScope();
            Row($"{name} ({train.Count}) → {(sketches ? "query sketches" : "gallery photos")} ({test.Count})",
                rows.Matrix(train, sketches), Labels(train), rows.Matrix(test, sketches), Labels(test), split.Categories.Count);
        }
        return 0;
    }

    private static long[] Labels(IReadOnlyList<SbirItem> items) => items.Select(i => (long)i.Label).ToArray();

    private static void Header()
    {
        Console.WriteLine("| features | ridge 1e-2 | ridge 1 | ridge 100 |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
    }

    /// <summary>One table row: accuracy of the ridge classifier fitted on (x, y) on the test rows, at three ridges.</summary>
    private static void Row(string name, Tensor x, long[] y, Tensor test, long[] truth, int classes)
    {
        using var scope = NewDisposeScope();
        x = x.to(ScalarType.Float64);
        Tensor mean = x.mean([0]), std = x.std(0).clamp_min(1e-6);
        x = (x - mean) / std;
        Tensor t = (test.to(ScalarType.Float64) - mean) / std;
        Tensor targets = nn.functional.one_hot(tensor(y), classes).to(ScalarType.Float64);
        var cells = new List<string>();
        foreach (double ridge in new[] { 1e-2, 1.0, 100.0 })
        {
            Tensor xb = cat([x, ones(x.shape[0], 1, ScalarType.Float64)], 1);
            Tensor w = linalg.solve(xb.T.matmul(xb) + eye(xb.shape[1], dtype: ScalarType.Float64) * ridge, xb.T.matmul(targets));
            long[] predicted = cat([t, ones(t.shape[0], 1, ScalarType.Float64)], 1).matmul(w).argmax(1).data<long>().ToArray();
            cells.Add((predicted.Zip(truth).Count(p => p.First == p.Second) / (double)truth.Length).ToString("F3", CultureInfo.InvariantCulture));
        }
        Console.WriteLine($"| {name} | {string.Join(" | ", cells)} |");
    }

    /// <summary>The photo rows at other input sides: the trunk's pooled features as they are and averaged with the mirror image's.</summary>
    private static int PhotoSizes(int[] sizes)
    {
        var split = GroupedValidationSplit.OfSharedPacs();
        set_num_threads(2);
        using ResNet18Trunk trunk = ResNet18Onnx.Import(ResNet18Onnx.DefaultPath);
        trunk.eval();
        using Tensor meanImage = ResNetPreprocessing.LoadMeanImage();
        Header();
        foreach (int size in sizes)
        {
            using var scope = NewDisposeScope();
            (Tensor Plain, Tensor Mirrored) Features(IReadOnlyList<SbirItem> items)
            {
                Tensor[] f = TrunkBatches.Run(items, i => DshImaging.Load(i.Path!), meanImage, size, input => [trunk.forward(input), trunk.forward(input.flip(3))]);
                return (f[0], (f[0] + f[1]) / 2);
            }
            var train = Features(split.TrainPhotos);
            var gallery = Features(split.GalleryPhotos);
            int classes = split.Categories.Count;
            Row($"photos at {size} px", train.Plain, Labels(split.TrainPhotos), gallery.Plain, Labels(split.GalleryPhotos), classes);
            Row($"photos at {size} px, averaged with the mirror image", train.Mirrored, Labels(split.TrainPhotos), gallery.Mirrored, Labels(split.GalleryPhotos), classes);
        }
        return 0;
    }

    /// <summary>
    /// The sketch and photo rows with the last stage's 7 × 7 maps pooled four ways: average (the trunk's), max,
    /// generalised mean (p = 3) and average and max side by side.
    /// </summary>
    private static int Pooling()
    {
        var split = GroupedValidationSplit.OfSharedPacs();
        set_num_threads(2);
        using ResNet18Trunk trunk = ResNet18Onnx.Import(ResNet18Onnx.DefaultPath);
        trunk.eval();
        using Tensor meanImage = ResNetPreprocessing.LoadMeanImage();
        using var source = new DshImageSource(new ContourTokenExtractor(), tokenCacheDirectory: null); // sketches prepared as training prepares them
        var poolings = new (string Name, Func<Tensor, Tensor> Pool)[]
        {
            ("average", m => m.mean([2L, 3L])),
            ("max", m => m.amax([2L, 3L])),
            ("GeM p=3", m => m.clamp_min(1e-6).pow(3).mean([2L, 3L]).pow(1.0 / 3)),
            ("average + max", m => cat([m.mean([2L, 3L]), m.amax([2L, 3L])], 1)),
        };
        Header();
        Tensor[] Features(IReadOnlyList<SbirItem> items, bool sketches) =>
            TrunkBatches.Run(items, i => sketches ? source.Sketch(i) : DshImaging.Load(i.Path!), meanImage, 224, input =>
            {
                Tensor maps = trunk.ForwardFeatures(input, 4);
                return poolings.Select(p => p.Pool(maps)).ToArray();
            });
        int classes = split.Categories.Count;
        foreach (var (name, train, test, sketches) in new[]
        {
            ("sketches", split.TrainSketches, split.QuerySketches, true),
            ("photos", split.TrainPhotos, split.GalleryPhotos, false),
        })
        {
            using var scope = NewDisposeScope();
            Tensor[] x = Features(train, sketches), t = Features(test, sketches);
            for (int p = 0; p < poolings.Length; p++)
            {
                Row($"{name}, {poolings[p].Name} pooling", x[p], Labels(train), t[p], Labels(test), classes);
            }
        }
        return 0;
    }
}
