// The default job of the repository: build an index over generated codes, search it, and print timings.
// Until a trained model exists (see the issues on DshTrainer), the codes are synthetic but shaped like
// learned ones: each "photo" is a noisy copy of its category's centre code, and a "sketch" query is a
// noisier copy of a centre, so the right answer (photos of the query's category) is known.
//
//   dotnet run -c Release --project samples/Dsh.Samples.Search [-- --count 200000 --bits 128 --categories 300]
// It references the Dsh.Hashing package from the local feed: pack first (`bash .ci/run`, or see docs/packages.md).
using System.Diagnostics;
using System.Globalization;
using Dsh.Hashing;

int count = Option("--count", 200_000);
int bits = Option("--bits", 128);
int categories = Option("--categories", 300);
const int k = 10;
const int queries = 200;

Console.WriteLine($"Dsh retrieval demo: {count:N0} photo codes of {bits} bits in {categories} categories, {queries} sketch queries, k = {k}");
var rng = new Random(2017);
BinaryCode[] centres = Enumerable.Range(0, categories).Select(_ => Noisy(null, 0.5)).ToArray();

var sw = Stopwatch.StartNew();
int[] photoCategory = Enumerable.Range(0, count).Select(i => i % categories).ToArray();
BinaryCodeSet photos = BinaryCodeSet.FromCodes(photoCategory.Select(c => Noisy(centres[c], 0.08)), bits);
long[] ids = Enumerable.Range(0, count).Select(i => (long)i).ToArray();
Console.WriteLine($"generated codes            {sw.Elapsed.TotalMilliseconds,9:F1} ms");

IHammingIndex[] indexes = [new HammingIndex(bits), new MultiIndexHashIndex(bits)];
int[] queryCategory = Enumerable.Range(0, queries).Select(_ => rng.Next(categories)).ToArray();
BinaryCode[] sketches = queryCategory.Select(c => Noisy(centres[c], 0.12)).ToArray();

foreach (IHammingIndex index in indexes)
{
    string name = index.GetType().Name;
    sw.Restart();
    index.AddRange(ids, photos);
    double build = sw.Elapsed.TotalMilliseconds;

    // Warm-up: the first calls pay for JIT compilation and thread-pool start-up.
    index.Search(sketches[0], k);
    index.SearchBatch(sketches[..32], k);
    sw.Restart();
    var results = sketches.Select(s => index.Search(s, k)).ToArray();
    double single = sw.Elapsed.TotalMilliseconds / queries;

    sw.Restart();
    IReadOnlyList<IReadOnlyList<Neighbor>> batch = index.SearchBatch(sketches, k);
    double batched = sw.Elapsed.TotalMilliseconds / queries;

    double precision = results.Select((r, q) => r.Count(n => photoCategory[n.Id] == queryCategory[q]) / (double)k).Average();
    bool same = results.Zip(batch).All(p => p.First.SequenceEqual(p.Second));
    Console.WriteLine($"{name,-20} build {build,9:F1} ms | search {single,7:F3} ms/query | batch {batched,7:F3} ms/query (all cores) | P@{k} {precision:F3} | batch == single: {same}");
}

IReadOnlyList<Neighbor> top = indexes[0].Search(sketches[0], 5);
Console.WriteLine($"sketch 0 (category {queryCategory[0]}) → " + string.Join(", ", top.Select(n => $"photo {n.Id} (cat {photoCategory[n.Id]}, d={n.Distance})")));

string folder = Directory.CreateTempSubdirectory("dsh-search-sample-").FullName;   // private, random name
string path = Path.Combine(folder, "photos.dshi");
sw.Restart();
indexes[0].Save(path);
double save = sw.Elapsed.TotalMilliseconds;
sw.Restart();
HammingIndex loaded = HammingIndex.Load(path);
double load = sw.Elapsed.TotalMilliseconds;
bool identical = loaded.Search(sketches[0], 5).SequenceEqual(top);
Console.WriteLine($"saved {new FileInfo(path).Length / 1e6:F1} MB in {save:F1} ms, loaded in {load:F1} ms, same results: {identical}");
Directory.Delete(folder, recursive: true);
return identical ? 0 : 1;

// A copy of `centre` with each bit flipped with probability `flip` (or a uniform code when centre is null).
BinaryCode Noisy(BinaryCode? centre, double flip)
{
    var b = new bool[bits];
    for (int i = 0; i < bits; i++)
    {
        bool bit = centre is null ? rng.Next(2) == 1 : centre[i];
        b[i] = rng.NextDouble() < flip ? !bit : bit;
    }

    return BinaryCode.FromBools(b);
}

int Option(string name, int fallback)
{
    int at = Array.IndexOf(args, name);
    if (at < 0)
    {
        return fallback;
    }

    if (at + 1 < args.Length && int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0)
    {
        return value;
    }

    Console.Error.WriteLine($"{name} needs a positive whole number.");
    Environment.Exit(2);
    return 0;
}
