using Dsh.Hashing;
using Dsh.Serve.Tests.Support;
using Xunit.Abstractions;

namespace Dsh.Serve.Tests;

/// <summary>
/// Adds over HTTP while the server is killed with SIGKILL at a random moment, then restarted on the same gallery: every
/// acknowledged add is there, the file loads, nothing is half-written. And SIGTERM: the adds in flight finish, the process
/// exits 0, and the file holds every acknowledged add.
/// </summary>
[Collection(ServeCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ServeCrashTests(ServeData data, ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Kill_minus_nine_during_a_stream_of_adds_loses_no_acknowledged_add()
    {
        (string gallery, string photos) = data.NewCopy(_folder);
        var random = new Random(11);
        var acknowledged = new Dictionary<long, string>(); // id → key
        int next = 0;
        for (int round = 0; round < 3; round++)
        {
            await using ServeProcess serve = await ServeProcess.StartAsync(data.ModelPath, gallery);
            using var client = new ServeClient(serve.BaseAddress);
            // The kill comes a random moment after a random number of this round's adds were acknowledged.
            int killAfterAcks = random.Next(1, 8), killDelayMs = random.Next(0, 250), acksThisRound = 0;
            var enoughAcks = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var adding = Task.Run(async () =>
            {
                // Four writers at once, each adding until the server is gone.
                await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
                {
                    while (true)
                    {
                        int mine = Interlocked.Increment(ref next) - 1;
                        if (mine >= TestPaths.NewPhotos.Count)
                        {
                            return;
                        }
                        try
                        {
                            var (id, _, _) = await client.AddAsync(TestPaths.NewPhotos[mine], "round" + round);
                            lock (acknowledged)
                            {
                                acknowledged[id] = TestPaths.NewPhotos[mine];
                            }
                            if (Interlocked.Increment(ref acksThisRound) >= killAfterAcks)
                            {
                                enoughAcks.TrySetResult();
                            }
                        }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                        {
                            return; // the server died under this request: it was never acknowledged
                        }
                    }
                }));
            });
            await Task.WhenAny(enoughAcks.Task, adding).WaitAsync(TimeSpan.FromSeconds(120));
            await Task.Delay(killDelayMs);
            serve.KillHard();
            await serve.WaitForExitAsync(TimeSpan.FromSeconds(20));
            await adding;

            Gallery onDisk = Gallery.Load(gallery); // intact: every checksum holds
            output.WriteLine($"round {round}: killed {killDelayMs} ms after ack {killAfterAcks}; {acknowledged.Count} acknowledged so far, {onDisk.Count} items on disk");
            foreach (var (id, photo) in acknowledged)
            {
                Assert.True(onDisk.TryGetItem(id, out GalleryItem? item), $"acknowledged id {id} is missing after the kill");
                Assert.True(File.Exists(Path.Combine(photos, item.Key)), $"the photo of id {id} is missing");
                Assert.Equal(File.ReadAllBytes(photo), File.ReadAllBytes(Path.Combine(photos, item.Key)));
            }
            // At most the adds in flight at the kill made it to disk without an answer.
            Assert.InRange(onDisk.Count - 70 - acknowledged.Count, 0, 4);
        }
        Assert.True(acknowledged.Count > 0, "no add was acknowledged in any round");

        // The last gallery serves again, with everything.
        await using ServeProcess last = await ServeProcess.StartAsync(data.ModelPath, gallery);
        using var lastClient = new ServeClient(last.BaseAddress);
        int count = (await lastClient.JsonAsync("/api/status")).GetProperty("count").GetInt32();
        Assert.Equal(Gallery.Load(gallery).Count, count);
    }

    [Fact]
    public async Task Sigterm_finishes_the_adds_in_flight_and_exits_zero()
    {
        (string gallery, _) = data.NewCopy(_folder);
        await using ServeProcess serve = await ServeProcess.StartAsync(data.ModelPath, gallery);
        using var client = new ServeClient(serve.BaseAddress);
        var acknowledged = new List<long>();
        var firstAck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failures = new List<string>();
        var pending = Enumerable.Range(0, 6).Select(async i =>
        {
            try
            {
                var (id, _, _) = await client.AddAsync(TestPaths.NewPhotos[20 + i], "term");
                lock (acknowledged)
                {
                    acknowledged.Add(id);
                }
                firstAck.TrySetResult();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                lock (failures)
                {
                    failures.Add(e.Message);
                }
            }
        }).ToList();
        // SIGTERM as soon as one add is acknowledged: with two encoders, the others are still in flight.
        await firstAck.Task.WaitAsync(TimeSpan.FromSeconds(60));
        int beforeTerm;
        lock (acknowledged)
        {
            beforeTerm = acknowledged.Count;
        }
        serve.Terminate();
        await Task.WhenAll(pending);
        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        output.WriteLine($"{beforeTerm} adds acknowledged before SIGTERM, {acknowledged.Count - beforeTerm} after it, {failures.Count} refused");
        Assert.Empty(failures);                                   // every add in flight was finished, none cut off
        Assert.Equal(6, acknowledged.Count);
        Assert.True(beforeTerm < 6, "every add had finished before SIGTERM; nothing was in flight");
        Gallery onDisk = Gallery.Load(gallery);
        Assert.All(acknowledged, id => Assert.True(onDisk.Contains(id)));
        Assert.Equal(76, onDisk.Count);
        Assert.Contains("shutting down", serve.Output, StringComparison.OrdinalIgnoreCase);
    }
}
