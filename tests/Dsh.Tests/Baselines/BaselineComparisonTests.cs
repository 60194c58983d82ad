using Dsh.Baselines;
using Dsh.Evaluation;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Dsh.Tests.Baselines;

/// <summary>Cross-domain retrieval (sketch queries, photo gallery) on held-out synthetic features.</summary>
public class BaselineComparisonTests(ITestOutputHelper output)
{
    [Fact]
    public void LinearSupervised_BeatsItqAndLsh_WhichBeatChance()
    {
        const int classes = 8, bits = 32;
        var domains = new SyntheticDomains { ClassCount = classes, Dimensions = 64 };
        using var scope = NewDisposeScope();
        var (trainSketches, trainSketchLabels) = domains.Sketches(20, seed: 11);
        var (trainPhotos, trainPhotoLabels) = domains.Photos(20, seed: 12);
        var (querySketches, queryLabels) = domains.Sketches(10, seed: 13);
        var (galleryPhotos, galleryLabels) = domains.Photos(20, seed: 14);

        var linear = LinearSupervisedHasher.Fit(trainSketches, trainSketchLabels, trainPhotos, trainPhotoLabels, classes, bits);
        var itq = ItqHasher.Fit(trainSketches, trainPhotos, bits);
        var lsh = LshHasher.Fit(trainSketches, trainPhotos, bits);

        double linearMap = RetrievalMetrics.MeanAveragePrecision(linear.EncodeSketches(querySketches), queryLabels, linear.EncodePhotos(galleryPhotos), galleryLabels);
        double itqMap = RetrievalMetrics.MeanAveragePrecision(itq.Encode(querySketches), queryLabels, itq.Encode(galleryPhotos), galleryLabels);
        double lshMap = RetrievalMetrics.MeanAveragePrecision(lsh.Encode(querySketches), queryLabels, lsh.Encode(galleryPhotos), galleryLabels);
        double chance = 1.0 / classes;
        output.WriteLine($"mAP@all, {bits} bits, {classes} classes: linear {linearMap:F3}, ITQ {itqMap:F3}, LSH {lshMap:F3}, chance ≈ {chance:F3}; " +
            $"class-code min distance {linear.MinimumClassCodeDistance}; ITQ loss {itq.QuantizationLosses[0]:F1} → {itq.QuantizationLosses[^1]:F1}");

        Assert.True(linearMap > 0.9, $"linear mAP {linearMap}");
        Assert.True(linearMap > itqMap && linearMap > lshMap, $"linear {linearMap}, ITQ {itqMap}, LSH {lshMap}");
        Assert.True(itqMap > lshMap, $"ITQ {itqMap}, LSH {lshMap}"); // learnt beats random projections on clustered data
        Assert.True(itqMap > chance + 0.1, $"ITQ mAP {itqMap}");
        Assert.True(lshMap > chance + 0.1, $"LSH mAP {lshMap}");
    }
}
