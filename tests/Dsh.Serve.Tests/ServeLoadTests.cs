using System.Collections.Concurrent;
using Dsh.Serve.Tests.Support;
using Xunit.Abstractions;

namespace Dsh.Serve.Tests;

/// <summary>
/// A bounded load on loopback: 200 searches with 16 in flight, photos added meanwhile. Every search is answered, and each
/// answer equals the sequential answer for the same sketch once the photos added meanwhile are left out (k covers the
/// whole gallery, so an added photo can only insert itself, never reorder the others).
/// </summary>
[Collection(ServeCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ServeLoadTests(ServeData data, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Searches = 200;
    private const int InFlight = 16;
    private const int Adds = 12;
    private const int K = 100;
    private ServedGallery _served = null!;

    private ServeClient Client => _served.Client;

    public async Task InitializeAsync() => _served = await ServedGallery.StartAsync(data);

    public async Task DisposeAsync() => await _served.DisposeAsync();

    [Fact]
    public async Task Two_hundred_searches_sixteen_in_flight_with_adds_interleaved_all_answer_as_sequential_calls_do()
    {
        byte[][] sketches = TestPaths.Sketches.Take(20).Select(File.ReadAllBytes).ToArray();
        var sequential = new List<IReadOnlyList<(long Id, int Distance)>>();
        foreach (byte[] sketch in sketches)
        {
            sequential.Add(await Client.RankingAsync(sketch, K));
        }

        var answers = new ConcurrentBag<(int Sketch, IReadOnlyList<(long Id, int Distance)> Ranking)>();
        var added = new ConcurrentBag<long>();
        using var gate = new SemaphoreSlim(InFlight);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var searches = Enumerable.Range(0, Searches).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                answers.Add((i % sketches.Length, await Client.RankingAsync(sketches[i % sketches.Length], K)));
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        var adds = Task.Run(async () =>
        {
            for (int i = 0; i < Adds; i++)
            {
                added.Add((await Client.AddAsync(TestPaths.NewPhotos[i], "added")).Id);
            }
        });
        await Task.WhenAll([.. searches, adds]);
        output.WriteLine($"{Searches} searches ({InFlight} in flight) and {Adds} adds in {clock.Elapsed.TotalSeconds:F1} s");

        Assert.Equal(Searches, answers.Count);
        Assert.Equal(Adds, added.Distinct().Count());
        var newIds = added.ToHashSet();
        foreach (var (sketch, ranking) in answers)
        {
            Assert.Equal(sequential[sketch], ranking.Where(r => !newIds.Contains(r.Id)).ToList());
            Assert.InRange(ranking.Count, 70, 70 + Adds);
        }
        Assert.Equal(70 + Adds, (await Client.JsonAsync("/api/status")).GetProperty("count").GetInt32());
    }
}
