namespace Dsh.Hashing.Tests;

/// <summary>The usage example of README.md, compiled and run by <see cref="ReadmeExampleTests"/>.</summary>
internal static class ReadmeExample
{
    public static (IReadOnlyList<Neighbor> Top, IReadOnlyList<Neighbor> AfterLoad) Run()
    {
        // example:start
        var rng = new Random(42);
        float[] Embedding() => Enumerable.Range(0, 64).Select(_ => rng.NextSingle() - 0.5f).ToArray();

        var index = new HammingIndex(bits: 64);           // or new MultiIndexHashIndex(64): same API
        for (long photoId = 0; photoId < 10_000; photoId++)
            index.Add(photoId, BinaryCode.FromSigns(Embedding())); // bit i = value[i] > 0
        BinaryCode sketch = BinaryCode.FromSigns(Embedding());
        IReadOnlyList<Neighbor> top = index.Search(sketch, k: 5);  // exact, ordered by (distance, id)
        foreach (Neighbor n in top)
            Console.WriteLine($"photo {n.Id} at Hamming distance {n.Distance}");
        index.Save("photos.dshi");                                // atomic and checksummed
        HammingIndex again = HammingIndex.Load("photos.dshi");
        // example:end
        File.Delete("photos.dshi");
        return (top, again.Search(sketch, k: 5));
    }
}
