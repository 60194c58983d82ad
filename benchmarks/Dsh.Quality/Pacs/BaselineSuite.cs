using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dsh.Baselines;
using Dsh.Data;
using Dsh.Evaluation;
using Dsh.Hashing;
using static TorchSharp.torch;

namespace Dsh.Quality.Pacs;

/// <summary>
/// <c>baselines [pacsRoot] [outDir] [skip=name,…]</c>: every baseline of issue #7 §2 under the DSH protocol — the same
/// <see cref="GroupedValidationSplit"/> (seed 2017; 692 validation sketches as queries, 270 validation photos as the
/// gallery), the same <see cref="RetrievalEvaluation.Evaluate"/> (mAP@all with Hamming ties in gallery order, P@200,
/// tie-aware mAP), at 32, 64 and 128 bits: random codes; LSH and ITQ over grey pixels, over a HOG-like feature and
/// over frozen ImageNet ResNet-18 features; the linear supervised hash on the ImageNet features; and the untrained
/// DSH networks (ResNet18 and compact profiles at their initialisation, encoded through <see cref="DshModel"/>).
/// Unsupervised hashers are fitted on the training sketches and photos together. Skippable groups: <c>random</c>,
/// <c>pixels</c>, <c>hog</c>, <c>imagenet</c>, <c>untrained</c>. Prints and writes <c>outDir/baselines.md</c>; the
/// ImageNet features are cached in <c>outDir/features-224.bin</c>, shared with <c>frozen-baselines</c>.
/// See docs/results.md and docs/baselines.md.
/// </summary>
internal static class BaselineSuite
{
    private const int Seed = 2017;
    /// <summary>The trainer's seed in <c>dsh-pacs</c>: the untrained networks are the starting points of those runs.</summary>
    private const int NetworkSeed = 1;
    private const int ImageNetSize = 224;
    private const int Threads = 2;
    private static readonly int[] CodeLengths = [32, 64, 128];

    private sealed record Row(string Method, int CodeLength, RetrievalReport Report, double Seconds);

    public static int Run(string[] args)
    {
        var positional = args.Where(a => !a.Contains('=', StringComparison.Ordinal)).ToArray();
        var keys = args.Where(a => a.Contains('=', StringComparison.Ordinal)).Select(a => a.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
        var skip = new HashSet<string>(keys.TryGetValue("skip", out string? s) ? s.Split(',', StringSplitOptions.RemoveEmptyEntries) : [], StringComparer.Ordinal);
        string pacsRoot = Path.GetFullPath(positional.Length > 0 ? positional[0] : Path.Combine(RepoRoot.Find(), "..", "shared", "data", "pacs"));
        string outDir = positional.Length > 1 ? positional[1] : "/tmp/dsh-results";
        Directory.CreateDirectory(outDir);
        set_num_threads(Threads);
        var report = new StringBuilder();
        void Say(string line)
        {
            Console.WriteLine(line);
            report.AppendLine(line);
        }

        SbirDataset dataset = SbirDataset.FromFolders(Path.Combine(pacsRoot, "sketch"), Path.Combine(pacsRoot, "photo"));
        var split = GroupedValidationSplit.Create(dataset, 0.2, Seed);
        Say($"split: seed {Seed}; train {split.TrainSketches.Count} sketches + {split.TrainPhotos.Count} photos; " +
            $"queries {split.QuerySketches.Count} validation sketches; gallery {split.GalleryPhotos.Count} validation photos");
        int[] queryL = Labels(split.QuerySketches), galleryL = Labels(split.GalleryPhotos);
        int[] trainSL = Labels(split.TrainSketches), trainPL = Labels(split.TrainPhotos);
        var inv = CultureInfo.InvariantCulture;
        Say(string.Create(inv, $"chance: expected mAP@all of a random ranking {ChanceLevel.ExpectedMeanAveragePrecision(queryL, galleryL):F3} " +
            $"(relevant fraction {ChanceLevel.RelevantFraction(queryL, galleryL):F3} = expected P@200); " +
            $"P@200 ceiling {ChanceLevel.PrecisionCeiling(200, queryL, galleryL):F3}"));

        var rows = new List<Row>();
        var evaluation = new RetrievalEvaluationOptions { K = 200, MeasureSearchTime = false };
        void Add(string method, BinaryCodeSet queries, BinaryCodeSet gallery, double seconds)
        {
            var r = RetrievalEvaluation.Evaluate(queries, queryL, gallery, galleryL, evaluation);
            rows.Add(new Row(method, queries.CodeLength, r, seconds));
            Console.WriteLine(string.Create(inv, $"  {method}, {queries.CodeLength} bits: mAP@all {r.MapAll:F3}, P@200 {r.PrecisionAtK:F3}, tie-aware mAP {r.TieAwareMapAll:F3} ({seconds:F2} s)"));
        }

        if (!skip.Contains("random"))
        {
            foreach (int k in CodeLengths)
            {
                var random = new Random(Seed + k);
                Add("Random codes", RandomCodes.Draw(queryL.Length, k, random), RandomCodes.Draw(galleryL.Length, k, random), 0);
            }
        }

        // Every item of the split, in one list: train sketches, train photos, queries, gallery.
        var items = split.TrainSketches.Select(i => (Item: i, Sketch: true)).Concat(split.TrainPhotos.Select(i => (Item: i, Sketch: false)))
            .Concat(split.QuerySketches.Select(i => (Item: i, Sketch: true))).Concat(split.GalleryPhotos.Select(i => (Item: i, Sketch: false))).ToList();
        int nTS = split.TrainSketches.Count, nTP = split.TrainPhotos.Count, nQ = split.QuerySketches.Count, nG = split.GalleryPhotos.Count;
        void Unsupervised(string feature, float[][] features)
        {
            using var scope = NewDisposeScope();
            Tensor trainS = Matrix(features, 0, nTS), trainP = Matrix(features, nTS, nTP);
            Tensor queries = Matrix(features, nTS + nTP, nQ), gallery = Matrix(features, nTS + nTP + nQ, nG);
            foreach (int k in CodeLengths)
            {
                long t = Stopwatch.GetTimestamp();
                var lsh = LshHasher.Fit(trainS, trainP, k);
                Add($"LSH, {feature}", lsh.Encode(queries), lsh.Encode(gallery), Stopwatch.GetElapsedTime(t).TotalSeconds);
                t = Stopwatch.GetTimestamp();
                var itq = ItqHasher.Fit(trainS, trainP, k);
                Add($"ITQ, {feature}", itq.Encode(queries), itq.Encode(gallery), Stopwatch.GetElapsedTime(t).TotalSeconds);
            }
        }

        if (!skip.Contains("pixels") || !skip.Contains("hog"))
        {
            var handMade = new HandMadeFeatures(new HogDescriptor(imageSize: 128, cellSize: 16, bins: 9), pixelSize: 32);
            var pixels = new float[items.Count][];
            var hog = new float[items.Count][];
            long t = Stopwatch.GetTimestamp();
            Parallel.For(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = Threads }, i =>
                (pixels[i], hog[i]) = handMade.Compute(items[i].Item.Path!, items[i].Sketch));
            double seconds = Stopwatch.GetElapsedTime(t).TotalSeconds;
            Say(string.Create(inv, $"hand-made features: {items.Count} images in {seconds:F1} s ({items.Count / seconds:F0} images/s); " +
                $"pixels {pixels[0].Length}-d (grey {handMade.PixelSize} px), HOG {hog[0].Length}-d ({handMade.Hog.ImageSize} px, {handMade.Hog.CellSize} px cells, {handMade.Hog.Bins} bins, 2×2-cell blocks, L2-Hys)"));
            if (!skip.Contains("pixels"))
            {
                Unsupervised("grey pixels 32×32", pixels);
            }
            if (!skip.Contains("hog"))
            {
                Unsupervised("HOG-like 1,764-d", hog);
            }
        }

        if (!skip.Contains("imagenet"))
        {
            // The same entry list as frozen-baselines, so the two commands share one cache file.
            var entries = dataset.Sketches.Select(x => new FrozenFeatureCache.Entry(x.Path!, true))
                .Concat(dataset.Photos.Select(p => new FrozenFeatureCache.Entry(p.Path!, false))).ToList();
            var (all, speed) = FrozenFeatureCache.LoadOrCompute(entries, pacsRoot, Path.Combine(outDir, $"features-{ImageNetSize}.bin"), ImageNetSize, 32);
            if (speed is { } v)
            {
                Say(string.Create(inv, $"ImageNet features: {v:F1} images/s (computed once, then cached)"));
            }
            var row = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < entries.Count; i++)
            {
                row[(entries[i].IsSketch ? "s:" : "p:") + entries[i].Path] = i;
            }
            float[][] features = items.Select(x => all[row[(x.Sketch ? "s:" : "p:") + x.Item.Path]]).ToArray();
            Unsupervised("ImageNet ResNet-18 512-d", features);
            using var scope = NewDisposeScope();
            Tensor trainS = Matrix(features, 0, nTS), trainP = Matrix(features, nTS, nTP);
            Tensor queries = Matrix(features, nTS + nTP, nQ), gallery = Matrix(features, nTS + nTP + nQ, nG);
            foreach (int k in CodeLengths)
            {
                long t = Stopwatch.GetTimestamp();
                var linear = LinearSupervisedHasher.Fit(trainS, trainSL, trainP, trainPL, dataset.Categories.Count, k);
                Add("Linear supervised hash (α = 1), ImageNet ResNet-18 512-d", linear.EncodeSketches(queries), linear.EncodePhotos(gallery),
                    Stopwatch.GetElapsedTime(t).TotalSeconds);
            }
        }

        if (!skip.Contains("untrained"))
        {
            string[] queryPaths = split.QuerySketches.Select(q => q.Path!).ToArray(), galleryPaths = split.GalleryPhotos.Select(p => p.Path!).ToArray();
            foreach (var (name, make) in new (string, Func<int, DshArchitecture>)[]
                     {
                         ("Untrained DSH network, ResNet18 profile (ImageNet trunks, heads at initialisation)", DshArchitecture.ResNet18),
                         ("Untrained DSH network, compact profile (at initialisation)", DshArchitecture.Compact),
                     })
            {
                foreach (int k in CodeLengths)
                {
                    long t = Stopwatch.GetTimestamp();
                    using DshModel model = UntrainedNetwork.Create(make(k), dataset.Categories, NetworkSeed);
                    BinaryCodeSet queries = model.EncodeSketches(queryPaths), gallery = model.EncodePhotos(galleryPaths);
                    Add(name, queries, gallery, Stopwatch.GetElapsedTime(t).TotalSeconds);
                }
            }
        }

        Say("");
        Say("| method | mAP@all 32 | mAP@all 64 | mAP@all 128 | P@200 32 | P@200 64 | P@200 128 |");
        Say("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var group in rows.GroupBy(r => r.Method))
        {
            Say($"| {group.Key} | {Cells(group, r => r.Report.MapAll)} | {Cells(group, r => r.Report.PrecisionAtK)} |");
        }
        Say("");
        Say("| method | tie-aware mAP 32 | tie-aware mAP 64 | tie-aware mAP 128 | time 32 / 64 / 128 (fit + encode, s) |");
        Say("| --- | ---: | ---: | ---: | ---: |");
        foreach (var group in rows.GroupBy(r => r.Method))
        {
            Say($"| {group.Key} | {Cells(group, r => r.Report.TieAwareMapAll)} | {string.Join(" / ", group.Select(r => r.Seconds.ToString("F2", inv)))} |");
        }
        File.WriteAllText(Path.Combine(outDir, "baselines.md"), report.ToString());
        Console.WriteLine($"wrote {Path.Combine(outDir, "baselines.md")}");
        return 0;
    }

    private static string Cells(IEnumerable<Row> rows, Func<Row, double> value) =>
        string.Join(" | ", CodeLengths.Select(k => rows.FirstOrDefault(r => r.CodeLength == k) is { } r ? value(r).ToString("F3", CultureInfo.InvariantCulture) : "–"));

    private static int[] Labels(IEnumerable<SbirItem> items) => items.Select(i => i.Label).ToArray();

    /// <summary>Rows [first, first + count) of the features as a float32 tensor [count, d].</summary>
    private static Tensor Matrix(float[][] features, int first, int count)
    {
        int d = features[first].Length;
        var flat = new float[count * d];
        for (int r = 0; r < count; r++)
        {
            features[first + r].CopyTo(flat, r * d);
        }
        return tensor(flat, [count, d]);
    }
}
