using Dsh.Hashing.Tests.TestUtilities;

namespace Dsh.Hashing.Tests.Galleries;

/// <summary>
/// Searches running while another thread adds, removes and reloads: every answer must equal brute force over one
/// consistent state, a state the gallery really was in while the search ran (never a half-applied change).
/// </summary>
public sealed class GalleryConcurrencyTests : IDisposable
{
    private const int Bits = 64;
    private readonly string _folder = Directory.CreateTempSubdirectory("dsh-gallery-threads-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task SearchesDuringAddsAndRemoves_EachEqualBruteForceOverAStateInTheirWindow()
    {
        var rng = new Random(5);
        BinaryCode[] pool = CodeGenerator.Clustered(5, 400, Bits, 6, 0.15);
        List<Operation> operations = Plan(rng, pool, initial: 300, count: 1500, out Dictionary<long, BinaryCode> start);

        var gallery = new Gallery(Bits);
        foreach ((long id, BinaryCode code) in start)
        {
            gallery.Add(id, code, new GalleryItem($"k{id}", $"c{id % 5}"));
        }

        int started = 0, completed = 0;
        var writer = Task.Factory.StartNew(() =>
        {
            for (int s = 1; s <= operations.Count; s++)
            {
                Volatile.Write(ref started, s);
                operations[s - 1].ApplyTo(gallery);
                Volatile.Write(ref completed, s);
                if (s % 8 == 0)
                {
                    Thread.Sleep(1); // let the readers run between writes, not only around them
                }
            }
        }, TaskCreationOptions.LongRunning);

        var observations = new System.Collections.Concurrent.ConcurrentBag<Observation>();
        Task[] readers = Enumerable.Range(0, 2).Select(r => Task.Factory.StartNew(() =>
        {
            var local = new Random(100 + r);
            for (int searches = 0; searches < 4000 && !writer.IsCompleted; searches++)
            {
                BinaryCode query = local.Next(2) == 0 ? pool[local.Next(pool.Length)] : CodeGenerator.Random(local, Bits);
                int k = local.Next(1, 25);
                int lo = Volatile.Read(ref completed);
                IReadOnlyList<GalleryNeighbor> found = gallery.SearchItems(query, k);
                int hi = Volatile.Read(ref started);
                observations.Add(new Observation(query, k, lo, hi, found));
                foreach (GalleryNeighbor n in found)
                {
                    // The item read with the neighbour belongs to it.
                    Assert.Equal($"k{n.Id}", n.Item.Key);
                    Assert.Equal($"c{n.Id % 5}", n.Item.Category);
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        await Task.WhenAll([writer, .. readers]).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(observations.Count > 50, $"only {observations.Count} searches ran");

        // Replay the operations; each search must match brute force at some state j with lo <= j <= hi.
        var byState = observations.GroupBy(o => o.Lo).ToDictionary(g => g.Key, g => g.ToList());
        var pending = new List<Observation>();
        var state = new Dictionary<long, BinaryCode>(start);
        for (int j = 0; j <= operations.Count; j++)
        {
            if (j > 0)
            {
                operations[j - 1].ApplyTo(state);
            }

            if (byState.TryGetValue(j, out List<Observation>? arriving))
            {
                pending.AddRange(arriving);
            }

            var pairs = state.Select(p => (p.Key, p.Value)).ToList();
            foreach (Observation o in pending)
            {
                o.Matched |= BruteForce(pairs, o.Query, o.K).SequenceEqual(o.Found.Select(n => n.Neighbor));
            }

            pending.RemoveAll(o => o.Matched || o.Hi <= j);
        }

        Assert.All(observations, o => Assert.True(o.Matched, $"a search in window {o.Lo}..{o.Hi} matches no state in it"));
        Assert.Equal(state.Count, gallery.Count);
    }

    [Fact]
    public async Task SearchesDuringRefreshes_SeeTheOldFileOrTheNewOne()
    {
        string path = Path.Combine(_folder, "g.dshg");
        Gallery a = GalleryFileTests.Build(Bits, 400, 1), b = GalleryFileTests.Build(Bits, 250, 2);
        string aPath = Path.Combine(_folder, "a.dshg"), bPath = Path.Combine(_folder, "b.dshg");
        a.Save(aPath);
        b.Save(bPath);
        File.Copy(aPath, path);
        BinaryCode[] queries = CodeGenerator.Uniform(3, 20, Bits);
        var expected = queries.Select(q => (A: a.Search(q, 10), B: b.Search(q, 10))).ToArray();

        Gallery shared = Gallery.Load(path);
        bool done = false;
        int reloads = 0;
        var refresher = Task.Factory.StartNew(() =>
        {
            for (int i = 0; i < 30; i++)
            {
                File.Copy(i % 2 == 0 ? bPath : aPath, path + ".new", overwrite: true);
                File.Move(path + ".new", path, overwrite: true);
                reloads += shared.Refresh(path) ? 1 : 0;
            }

            Volatile.Write(ref done, true);
        }, TaskCreationOptions.LongRunning);

        int searches = 0;
        while (!Volatile.Read(ref done))
        {
            int q = searches++ % queries.Length;
            IReadOnlyList<Neighbor> found = shared.Search(queries[q], 10);
            Assert.True(found.SequenceEqual(expected[q].A) || found.SequenceEqual(expected[q].B), $"query {q} matched neither file");
        }

        await refresher;
        Assert.Equal(30, reloads);
        Assert.Equal(a.Count, shared.Count); // the last copy (i = 29) was a
    }

    private static Neighbor[] BruteForce(List<(long Id, BinaryCode Code)> items, BinaryCode query, int k) =>
        items.Select(x => new Neighbor(x.Id, BinaryCode.Distance(query, x.Code))).Order().Take(k).ToArray();

    /// <summary>A random mix of single adds (explicit and assigned ids), batches and removals, planned up front.</summary>
    private static List<Operation> Plan(Random rng, BinaryCode[] pool, int initial, int count, out Dictionary<long, BinaryCode> start)
    {
        start = [];
        for (long id = 0; id < initial; id++)
        {
            start.Add(id, pool[rng.Next(pool.Length)]);
        }

        var live = new List<long>(start.Keys);
        long next = initial;
        var operations = new List<Operation>(count);
        for (int s = 0; s < count; s++)
        {
            int kind = rng.Next(10);
            if (kind < 4 || live.Count < 50)
            {
                operations.Add(new Operation([next], [pool[rng.Next(pool.Length)]], Remove: false));
                live.Add(next++);
            }
            else if (kind < 6)
            {
                int n = rng.Next(2, 9);
                long[] ids = Enumerable.Range(0, n).Select(i => next + i).ToArray();
                operations.Add(new Operation(ids, ids.Select(_ => pool[rng.Next(pool.Length)]).ToArray(), Remove: false));
                live.AddRange(ids);
                next += n;
            }
            else
            {
                int at = rng.Next(live.Count);
                operations.Add(new Operation([live[at]], [], Remove: true));
                live.RemoveAt(at);
            }
        }

        return operations;
    }

    private sealed record Operation(long[] Ids, BinaryCode[] Codes, bool Remove)
    {
        public void ApplyTo(Gallery gallery)
        {
            if (Remove)
            {
                Assert.True(gallery.Remove(Ids[0]));
            }
            else if (Ids.Length == 1)
            {
                gallery.Add(Ids[0], Codes[0], new GalleryItem($"k{Ids[0]}", $"c{Ids[0] % 5}"));
            }
            else
            {
                IReadOnlyList<long> assigned = gallery.AddRange(BinaryCodeSet.FromCodes(Codes, Bits), Ids.Select(id => new GalleryItem($"k{id}", $"c{id % 5}")).ToArray());
                Assert.Equal(Ids, assigned);
            }
        }

        public void ApplyTo(Dictionary<long, BinaryCode> state)
        {
            for (int i = 0; i < Ids.Length; i++)
            {
                if (Remove)
                {
                    state.Remove(Ids[i]);
                }
                else
                {
                    state.Add(Ids[i], Codes[i]);
                }
            }
        }
    }

    private sealed class Observation(BinaryCode query, int k, int lo, int hi, IReadOnlyList<GalleryNeighbor> found)
    {
        public BinaryCode Query { get; } = query;

        public int K { get; } = k;

        public int Lo { get; } = lo;

        public int Hi { get; } = hi;

        public IReadOnlyList<GalleryNeighbor> Found { get; } = found;

        public bool Matched { get; set; }
    }
}
