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
/// <c>frozen-baselines [pacsRoot] [outDir]</c>: the group-preserving validation split of PACS, 512-d frozen ImageNet
/// ResNet-18 features (cached in outDir/features-224.bin), and ITQ, the linear supervised hash and LSH at 32/64/128
/// bits: mAP@all and P@200 of validation sketch queries against the validation photo gallery. See docs/results.md.
/// </summary>
internal static class FrozenBaselines
{
    private const int Seed = 2017;
    private const int ImageSize = 224;
    private const int BatchSize = 32;
    private const int Threads = 2;
    private static readonly int[] CodeLengths = [32, 64, 128];

    public static int Run(string[] args)
    {
        string pacsRoot = args.Length > 0 ? args[0] : Path.Combine(RepoRoot.Find(), "..", "shared", "data", "pacs");
        string outDir = args.Length > 1 ? args[1] : "/tmp/dsh-results";
        pacsRoot = Path.GetFullPath(pacsRoot);
        Directory.CreateDirectory(outDir);
        set_num_threads(Threads);
        var report = new StringBuilder();
        void Say(string line)
        {
            Console.WriteLine(line);
            report.AppendLine(line);
        }

        SbirDataset dataset = SbirDataset.FromFolders(Path.Combine(pacsRoot, "sketch"), Path.Combine(pacsRoot, "photo"));
        Say($"dataset: {dataset.Report}");
        var split = GroupedValidationSplit.Create(dataset, 0.2, Seed);
        Say($"split: seed {Seed}, {split.Fraction:P0} of groups per category to validation; no group straddles the split (checked)");
        Say(split.CountsTable());

        var entries = dataset.Sketches.Select(s => new FrozenFeatureCache.Entry(s.Path!, true))
            .Concat(dataset.Photos.Select(p => new FrozenFeatureCache.Entry(p.Path!, false))).ToList();
        var (features, speed) = FrozenFeatureCache.LoadOrCompute(entries, pacsRoot,
            Path.Combine(outDir, $"features-{ImageSize}.bin"), ImageSize, BatchSize);
        var row = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < entries.Count; i++)
        {
            row[(entries[i].IsSketch ? "s:" : "p:") + entries[i].Path] = i;
        }
        Tensor Matrix(IEnumerable<SbirItem> items, string domain)
        {
            float[][] rows = items.Select(item => features[row[domain + item.Path]]).ToArray();
            var flat = new float[rows.Length * rows[0].Length];
            for (int r = 0; r < rows.Length; r++)
            {
                rows[r].CopyTo(flat, r * rows[0].Length);
            }
            return tensor(flat, [rows.Length, rows[0].Length]);
        }
        static int[] Labels(IEnumerable<SbirItem> items) => items.Select(i => i.Label).ToArray();

        using Tensor trainS = Matrix(split.TrainSketches, "s:"), trainP = Matrix(split.TrainPhotos, "p:");
        using Tensor queryS = Matrix(split.QuerySketches, "s:"), galleryP = Matrix(split.GalleryPhotos, "p:");
        int[] trainSL = Labels(split.TrainSketches), trainPL = Labels(split.TrainPhotos);
        int[] queryL = Labels(split.QuerySketches), galleryL = Labels(split.GalleryPhotos);

        var (subS, subP) = Subset(split, 60, 30);
        using Tensor subSF = Matrix(subS, "s:"), subPF = Matrix(subP, "p:");
        int[] subSL = Labels(subS), subPL = Labels(subP);
        int classes = dataset.Categories.Count;

        double chance = queryL.Average(q => galleryL.Count(g => g == q) / (double)galleryL.Length);
        Say($"chance (mean fraction of relevant gallery items per query): {chance:F3}");
        double ceiling = queryL.Average(q => Math.Min(200, galleryL.Count(g => g == q)) / 200.0);
        Say($"P@200 ceiling (the gallery holds {galleryL.Length} photos, 25–69 a category, so P@200 ≤ relevant/200): {ceiling:F3}");
        Say($"linear subset: {subS.Count} train sketches, {subP.Count} train photos (≤ 60 / ≤ 30 per category, seeded)");

        var rows = new List<(string Method, int K, double Map, double P200, double FitSeconds)>();
        (double, double) Score(BinaryCodeSet q, BinaryCodeSet g) =>
            (RetrievalMetrics.MeanAveragePrecision(q, queryL, g, galleryL), RetrievalMetrics.PrecisionAt(200, q, queryL, g, galleryL));
        foreach (int k in CodeLengths)
        {
            long t = Stopwatch.GetTimestamp();
            var itq = ItqHasher.Fit(trainS, trainP, k);
            double fit = Stopwatch.GetElapsedTime(t).TotalSeconds;
            var (map, p200) = Score(itq.Encode(queryS), itq.Encode(galleryP));
            rows.Add(("ITQ (unsupervised)", k, map, p200, fit));

            t = Stopwatch.GetTimestamp();
            var linear = LinearSupervisedHasher.Fit(trainS, trainSL, trainP, trainPL, classes, k);
            fit = Stopwatch.GetElapsedTime(t).TotalSeconds;
            (map, p200) = Score(linear.EncodeSketches(queryS), linear.EncodePhotos(galleryP));
            rows.Add(("Linear supervised hash, α = 1", k, map, p200, fit));

            t = Stopwatch.GetTimestamp();
            var small = LinearSupervisedHasher.Fit(subSF, subSL, subPF, subPL, classes, k);
            fit = Stopwatch.GetElapsedTime(t).TotalSeconds;
            (map, p200) = Score(small.EncodeSketches(queryS), small.EncodePhotos(galleryP));
            rows.Add(("Linear supervised hash, α = 1, 60 sketches + 30 photos a category", k, map, p200, fit));

            t = Stopwatch.GetTimestamp();
            var lsh = LshHasher.Fit(trainS, trainP, k);
            fit = Stopwatch.GetElapsedTime(t).TotalSeconds;
            (map, p200) = Score(lsh.Encode(queryS), lsh.Encode(galleryP));
            rows.Add(("LSH", k, map, p200, fit));
        }

        Say("");
        Say("| method | bits | mAP@all | P@200 | fit time |");
        Say("| --- | ---: | ---: | ---: | ---: |");
        foreach (var group in rows.GroupBy(r => r.Method))
        {
            foreach (var r in group)
            {
                Say(string.Create(CultureInfo.InvariantCulture, $"| {r.Method} | {r.K} | {r.Map:F3} | {r.P200:F3} | {r.FitSeconds:F2} s |"));
            }
        }

        // α sweep of the linear hash at 64 bits (chosen on the validation split itself: optimistic, for reference only).
        Say("");
        Say("| linear hash α (64 bits, full train split) | mAP@all | P@200 |");
        Say("| ---: | ---: | ---: |");
        foreach (double alpha in new[] { 0.01, 0.1, 1.0, 10.0 })
        {
            var linear = LinearSupervisedHasher.Fit(trainS, trainSL, trainP, trainPL, classes, 64, new LinearHashOptions { Alpha = alpha });
            var (map, p200) = Score(linear.EncodeSketches(queryS), linear.EncodePhotos(galleryP));
            Say(string.Create(CultureInfo.InvariantCulture, $"| {alpha} | {map:F3} | {p200:F3} |"));
        }
        if (speed is { } s)
        {
            Say(string.Create(CultureInfo.InvariantCulture, $"feature extraction: {s:F1} images/s ({entries.Count} images, {ImageSize} px, batch {BatchSize}, {Threads} threads)"));
        }
        File.WriteAllText(Path.Combine(outDir, "frozen-baselines.md"), report.ToString());
        return 0;
    }

    /// <summary>Per category, at most <paramref name="sketches"/> training sketches and <paramref name="photos"/> training photos, seeded.</summary>
    internal static (List<SbirItem> Sketches, List<SbirItem> Photos) Subset(GroupedValidationSplit split, int sketches, int photos)
    {
        var s = new List<SbirItem>();
        var p = new List<SbirItem>();
        for (int label = 0; label < split.Categories.Count; label++)
        {
            int l = label;
            var catS = split.TrainSketches.Where(i => i.Label == l).ToList();
            var catP = split.TrainPhotos.Where(i => i.Label == l).ToList();
            GroupedValidationSplit.Shuffle(catS, GroupedValidationSplit.SeededRandom(split.Seed, split.Categories[label], "subset-sketches"));
            GroupedValidationSplit.Shuffle(catP, GroupedValidationSplit.SeededRandom(split.Seed, split.Categories[label], "subset-photos"));
            s.AddRange(catS.Take(sketches));
            p.AddRange(catP.Take(photos));
        }
        return (s, p);
    }
}
