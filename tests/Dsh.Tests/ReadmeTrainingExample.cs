using Dsh.Hashing;

namespace Dsh.Tests;

/// <summary>The training example of README.md, compiled and run by <see cref="ReadmeTrainingExampleTests"/>.</summary>
internal static class ReadmeTrainingExample
{
    public static IReadOnlyList<Neighbor> Run(string sketchRoot, string photoRoot, string workDir)
    {
        var results = new List<Neighbor>();
        // training-example:start
        SbirDataset dataset = SbirDataset.FromFolders(sketchRoot, photoRoot)   // each root: <category>/<image files>
                                         .WithQueries(sketchesPerCategory: 5, seed: 1);  // held-out query sketches
        Console.WriteLine(dataset.Report);                                  // counts, and what was skipped and why
        var options = new DshTrainerOptions
        {
            Architecture = DshArchitecture.Compact(32),                    // 64 px, 32-bit codes
            Epochs = 10,
            Seed = 1,
            CheckpointDirectory = Path.Combine(workDir, "checkpoints"),    // resumes from here if interrupted
        };
        var progress = new Progress<DshProgress>(p => Console.WriteLine($"{p.Phase} {p.Epoch}/{p.Epochs} loss {p.BatchLoss:F2} {p.Message}"));
        using (DshModel model = new DshTrainer(options).Fit(dataset, progress, CancellationToken.None))
            model.Save(Path.Combine(workDir, "shapes.dshm"));              // one checksummed file

        using DshModel loaded = DshModel.Load(Path.Combine(workDir, "shapes.dshm"));
        var photos = dataset.Photos.Select((photo, i) => (Id: (long)i, PhotoPath: photo.Path!)).ToList();
        HammingIndex index = loaded.BuildIndex(photos);                    // photo codes, ready to search
        BinaryCode sketch = loaded.EncodeSketch(dataset.QuerySketches.First().Path!);
        foreach (Neighbor n in index.Search(sketch, k: 5))
            Console.WriteLine($"{photos[(int)n.Id].PhotoPath} at Hamming distance {n.Distance}");
        // training-example:end
        results.AddRange(index.Search(sketch, k: 5));
        return results;
    }
}
