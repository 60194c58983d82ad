// Train and search end to end with the Dsh package: train the compact profile (64 px, cheap on a CPU) on the bundled
// real sketches and photos (samples/data/pacs-mini/train), index the test photos in a HammingIndex, query it with the
// test sketches, and print mAP@all (RetrievalEvaluation) and the top hits of a few queries.
//
//   dotnet run -c Release --project samples/Dsh.Samples.TrainAndSearch [-- --data DIR --bits 32 --epochs 3 --batch 8 --seed 1]
//       [--save-model FILE.dshm] [--save-gallery FILE.dshi]
//
// --save-model writes the trained model (DshModel.Save); --save-gallery writes the test photos' codes as a one-file
// Gallery (keys "<category>/<file>" under the test photo folder, categories from the folder names). That pair is what
// samples/Dsh.Samples.WebApi and `dsh serve` load.
// DIR holds train/{sketch,photo}/<category>/ and test/{sketch,photo}/<category>/; by default the program looks for
// samples/data/pacs-mini in the current directory and each folder above it. Exit codes: 0 done, 2 bad arguments or
// data, 1 anything else. It references the Dsh package from the local feed: pack first (see docs/packages.md).
using System.Diagnostics;
using System.Globalization;
using Dsh;
using Dsh.Hashing;
using Dsh.Data;
using Dsh.Evaluation;
using Dsh.Training;

try
{
    var arguments = SampleArguments.Parse(args);
    string data = arguments.DataDirectory ?? SampleArguments.FindBundledData()
        ?? throw new ArgumentException("samples/data/pacs-mini was not found in the current directory or any folder above it; pass --data DIR.");
    return Run(data, arguments);
}
catch (Exception e) when (e is ArgumentException or DirectoryNotFoundException or SbirDatasetException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    Console.Error.WriteLine($"error: {e.GetType().Name}: {e.Message}");
    return 1;
}

static int Run(string data, SampleArguments arguments)
{
    int bits = arguments.CodeLength, epochs = arguments.Epochs;
    SbirDataset train = SbirDataset.FromFolders(Path.Combine(data, "train", "sketch"), Path.Combine(data, "train", "photo"));
    SbirDataset test = SbirDataset.FromFolders(Path.Combine(data, "test", "sketch"), Path.Combine(data, "test", "photo"));
    Console.WriteLine($"data {data}: train {train.Sketches.Count} sketches + {train.Photos.Count} photos, " +
                      $"test {test.Sketches.Count} sketches + {test.Photos.Count} photos, {test.Categories.Count} categories");

    // The compact profile's defaults (its network at this code length, the learning rate for it), then this sample's.
    DshTrainerOptions options = DshProfile.Compact.TrainerOptions(bits) with
    {
        Epochs = epochs,
        Seed = arguments.Seed,
        BatchSize = arguments.BatchSize, // 8 by default: 27 steps an epoch on the 210 bundled sketches, not 7
    };
    var clock = Stopwatch.StartNew();
    using DshModel model = new DshTrainer(options).Fit(train, new EpochPrinter(), CancellationToken.None);
    Console.WriteLine($"trained compact {bits} bits, {epochs} epochs, batch {arguments.BatchSize} in {clock.Elapsed.TotalSeconds:F1} s " +
                      $"(class vectors: {model.Summary.SemanticSource})");

    // The gallery: every test photo, id = its position in test.Photos.
    clock.Restart();
    var photos = test.Photos.Select((photo, i) => (Id: (long)i, PhotoPath: photo.Path!)).ToList();
    BinaryCodeSet photoCodes = model.EncodePhotos(photos.Select(p => p.PhotoPath));
    var index = new HammingIndex(bits);
    index.AddRange(photos.Select(p => p.Id).ToArray(), photoCodes);
    double photoSeconds = clock.Elapsed.TotalSeconds;
    clock.Restart();
    BinaryCodeSet sketchCodes = model.EncodeSketches(test.Sketches.Select(s => s.Path!));
    double sketchSeconds = clock.Elapsed.TotalSeconds;

    RetrievalReport report = RetrievalEvaluation.Evaluate(
        sketchCodes, test.Sketches.Select(s => s.Label).ToList(), photoCodes, test.Photos.Select(p => p.Label).ToList(),
        new RetrievalEvaluationOptions { K = 10 });
    // Chance: a random ranking's mAP is about the share of relevant photos, averaged over the queries.
    double chance = test.Sketches.Average(s => test.Photos.Count(p => p.Label == s.Label) / (double)test.Photos.Count);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"mAP@all {report.MapAll:F4} (chance {chance:F4}), tie-aware mAP@all {report.TieAwareMapAll:F4}, P@{report.K} {report.PrecisionAtK:F4}, " +
        $"{report.Queries} queries x {report.GalleryCount} photos"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"encode {1000 * sketchSeconds / sketchCodes.Count:F1} ms/sketch, photos indexed in {photoSeconds:F1} s, " +
        $"search {report.MeanSearchMilliseconds:F3} ms/query"));

    if (arguments.SaveModel is { } modelPath)
    {
        model.Save(modelPath);
        Console.WriteLine($"saved the model to {modelPath}");
    }
    if (arguments.SaveGallery is { } galleryPath)
    {
        // The same codes as the HammingIndex, with what a server shows for each: a key (the photo's path under Root,
        // '/' as separator) and a category.
        string photoRoot = Path.GetFullPath(Path.Combine(data, "test", "photo"));
        var gallery = new Gallery(bits, new GalleryProperties { Root = photoRoot, Domain = "photo" });
        gallery.AddRange(photoCodes, test.Photos.Select(p => new GalleryItem(
            Path.GetRelativePath(photoRoot, p.Path!).Replace(Path.DirectorySeparatorChar, '/'), test.Categories[p.Label])).ToList());
        gallery.Save(galleryPath);
        Console.WriteLine($"saved the gallery to {galleryPath}: {gallery.Count} photos, {gallery.CodeLength} bits");
    }

    // A few queries: the first test sketch of the first three categories, and their top five photos. Two stages, as
    // dsh search and dsh serve rank: the 100 nearest codes, re-ordered by the sketch's real-valued network output
    // (whose signs are its code) against their codes, which orders photos that tie in Hamming distance.
    foreach (int category in Enumerable.Range(0, Math.Min(3, test.Categories.Count)))
    {
        int query = test.Sketches.Select((s, i) => (s, i)).First(p => p.s.Label == category).i;
        float[] embedding = model.EmbedSketch(test.Sketches[query].Path!);
        IReadOnlyList<RerankedNeighbor> top = AsymmetricReranker.Rerank(embedding, index.Search(BinaryCode.FromSigns(embedding), k: 100),
            id => photoCodes[(int)id], take: 5);
        int hits = top.Count(n => test.Photos[(int)n.Id].Label == category);
        Console.WriteLine($"query {Path.GetFileName(test.Sketches[query].Path)} ({test.Categories[category]}): {hits}/5 right -> " +
                          string.Join(", ", top.Select(n => $"{test.Categories[test.Photos[(int)n.Id].Label]}:{Path.GetFileName(test.Photos[(int)n.Id].Path)} d={n.Distance}")));
    }
    return 0;
}

/// <summary>Prints one line per finished epoch, synchronously (so lines stay in order).</summary>
internal sealed class EpochPrinter : IProgress<DshProgress>
{
    private int _lastEpoch;

    public void Report(DshProgress value)
    {
        if (value.Phase == TrainingPhase.NetworkStep && value.Epoch > _lastEpoch
            && value.Step * value.Epochs == value.TotalSteps * value.Epoch) // the last step of an epoch (Step counts globally)
        {
            _lastEpoch = value.Epoch;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {value.Epoch}/{value.Epochs}: loss {value.BatchLoss:F3}, {value.ItemsPerSecond:F0} items/s, {value.Elapsed.TotalSeconds:F1} s"));
        }
    }
}
