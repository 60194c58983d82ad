using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dsh.Baselines;
using Dsh.Data;
using Dsh.Hashing;
using Dsh.Quality.Pacs;
using static TorchSharp.torch;

namespace Dsh.Quality.QuickDraw;

/// <summary>
/// <c>quickdraw-cifar baselines [key=value …]</c>: random codes, and LSH, ITQ and the linear supervised hash over
/// 512-d frozen ImageNet ResNet-18 features (224 px; cached in outDir/features-224.bin), at 32/64/128 bits, on the
/// QuickDraw × CIFAR-10 split: mAP@all, tie-aware mAP@all, P@200, and mAP@all per category at 64 bits.
/// </summary>
internal static class QuickDrawCifarBaselines
{
    private const int ImageSize = 224;
    private static readonly int[] CodeLengths = [32, 64, 128];

    public static int Run(QuickDrawCifarSplit split, string outDir, Action<string> say)
    {
        set_num_threads(2);
        var entries = split.TrainSketches.Concat(split.QuerySketches).Select(s => new FrozenFeatureCache.Entry(s.Path!, true))
            .Concat(split.TrainPhotos.Concat(split.GalleryPhotos).Select(p => new FrozenFeatureCache.Entry(p.Path!, false))).ToList();
        var (features, speed) = FrozenFeatureCache.LoadOrCompute(entries, "/", Path.Combine(outDir, $"features-{ImageSize}.bin"), ImageSize, 32);
        var rows = new FeatureRows(entries, features);
        static int[] Labels(IEnumerable<SbirItem> items) => items.Select(i => i.Label).ToArray();

        using Tensor trainS = rows.Matrix(split.TrainSketches, sketches: true), trainP = rows.Matrix(split.TrainPhotos, sketches: false);
        using Tensor queryS = rows.Matrix(split.QuerySketches, sketches: true), galleryP = rows.Matrix(split.GalleryPhotos, sketches: false);
        int[] trainSL = Labels(split.TrainSketches), trainPL = Labels(split.TrainPhotos);
        int[] queryL = Labels(split.QuerySketches), galleryL = Labels(split.GalleryPhotos);
        int classes = split.Categories.Count;
        RetrievalScores Score(BinaryCodeSet q, BinaryCodeSet g) => RetrievalScores.Evaluate(q, queryL, g, galleryL, classes);

        var lines = new List<string>();
        var perCategory = new List<string>();
        string Seconds(long start) => string.Create(CultureInfo.InvariantCulture, $"fit {Stopwatch.GetElapsedTime(start).TotalSeconds:F2} s");
        foreach (int k in CodeLengths)
        {
            var random = new Random(k);
            BinaryCodeSet RandomCodes(int count) =>
                BinaryCodeSet.FromSigns(Enumerable.Range(0, count * k).Select(_ => random.Next(2) == 0 ? -1f : 1f).ToArray(), k);
            RetrievalScores s = Score(RandomCodes(queryL.Length), RandomCodes(galleryL.Length));
            lines.Add(s.Row("Random codes", k, "–"));

            long t = Stopwatch.GetTimestamp();
            var lsh = LshHasher.Fit(trainS, trainP, k);
            string fit = Seconds(t);
            s = Score(lsh.Encode(queryS), lsh.Encode(galleryP));
            lines.Add(s.Row("LSH (ImageNet features)", k, fit));
            if (k == 64)
            {
                perCategory.Add(s.CategoryRow("LSH, 64 bits"));
            }

            t = Stopwatch.GetTimestamp();
            var itq = ItqHasher.Fit(trainS, trainP, k);
            fit = Seconds(t);
            s = Score(itq.Encode(queryS), itq.Encode(galleryP));
            lines.Add(s.Row("ITQ (ImageNet features)", k, fit));
            if (k == 64)
            {
                perCategory.Add(s.CategoryRow("ITQ, 64 bits"));
            }

            t = Stopwatch.GetTimestamp();
            var linear = LinearSupervisedHasher.Fit(trainS, trainSL, trainP, trainPL, classes, k);
            fit = Seconds(t);
            s = Score(linear.EncodeSketches(queryS), linear.EncodePhotos(galleryP));
            lines.Add(s.Row("Linear supervised hash, α = 1 (ImageNet features)", k, fit));
            if (k == 64)
            {
                perCategory.Add(s.CategoryRow("Linear supervised hash, 64 bits"));
            }
        }
        say("");
        say(RetrievalScores.Header);
        foreach (var group in lines.GroupBy(l => l.Split('|')[1]))
        {
            foreach (string line in group)
            {
                say(line);
            }
        }
        say("");
        say(RetrievalScores.CategoryHeader(split.Categories));
        perCategory.ForEach(say);

        // Where the cross-domain gap is: the same 64-bit linear hash within one domain. Query drawings against the
        // training drawings, gallery photos against the training photos (the training side was fitted: optimistic).
        var within = LinearSupervisedHasher.Fit(trainS, trainSL, trainP, trainPL, classes, 64);
        RetrievalScores sketchToSketch = RetrievalScores.Evaluate(within.EncodeSketches(queryS), queryL, within.EncodeSketches(trainS), trainSL, classes);
        RetrievalScores photoToPhoto = RetrievalScores.Evaluate(within.EncodePhotos(galleryP), galleryL, within.EncodePhotos(trainP), trainPL, classes);
        say(sketchToSketch.CategoryRow("within domain: query drawings → training drawings"));
        say(photoToPhoto.CategoryRow("within domain: gallery photos → training photos"));
        say("");
        say("| within one domain, linear supervised hash, 64 bits | mAP@all | P@200 |");
        say("| --- | ---: | ---: |");
        say(string.Create(CultureInfo.InvariantCulture, $"| query drawings → training drawings | {sketchToSketch.MapAll:F3} | {sketchToSketch.PrecisionAt200:F3} |"));
        say(string.Create(CultureInfo.InvariantCulture, $"| gallery photos → training photos | {photoToPhoto.MapAll:F3} | {photoToPhoto.PrecisionAt200:F3} |"));
        if (speed is { } v)
        {
            say(string.Create(CultureInfo.InvariantCulture, $"feature extraction: {v:F1} images/s ({entries.Count} images, {ImageSize} px, batch 32, 2 threads; machine shared)"));
        }
        return 0;
    }
}
