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
        // Three adds finish before SIGTERM. Three more are in flight whatever the machine's speed: their uploads send
        // half the photo, then wait until the server has taken the SIGTERM, then send the rest.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var before = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => client.AddAsync(TestPaths.NewPhotos[20 + i], "term")));
        var uploading = Enumerable.Range(3, 3).Select(i => new HeldUpload(File.ReadAllBytes(TestPaths.NewPhotos[20 + i]), ServeClient.TypeOf(TestPaths.NewPhotos[20 + i]), release.Task)).ToList();
        var inFlight = uploading.Select(upload => AddHeldAsync(client, upload)).ToList();
        await Task.WhenAll(uploading.Select(u => u.HalfSent.WaitAsync(TimeSpan.FromSeconds(60))));

        serve.Terminate();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!serve.Output.Contains("shutting down", StringComparison.OrdinalIgnoreCase) && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }
        Assert.Contains("shutting down", serve.Output, StringComparison.OrdinalIgnoreCase);
        Assert.False(serve.HasExited);
        release.SetResult();
        long[] after = await Task.WhenAll(inFlight);

        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        output.WriteLine($"{before.Length} adds acknowledged before SIGTERM, {after.Length} uploaded across it");
        Gallery onDisk = Gallery.Load(gallery);
        Assert.All(before.Select(b => b.Id).Concat(after), id => Assert.True(onDisk.Contains(id)));
        Assert.Equal(6, before.Select(b => b.Id).Concat(after).Distinct().Count());
        Assert.Equal(76, onDisk.Count);
    }

    /// <summary>An add whose upload is a <see cref="HeldUpload"/>: the id it was given (fails unless 200).</summary>
    private static async Task<long> AddHeldAsync(ServeClient client, HeldUpload upload)
    {
        using var content = new StreamContent(upload);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(upload.Type);
        content.Headers.ContentLength = upload.Length;
        // Expect: 100-continue, so that the body starts only once the server's endpoint reads it: when half of it is
        // sent, the request is inside the server, not waiting in a connection the shutdown could still drop.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/photos?category=term") { Content = content };
        request.Headers.ExpectContinue = true;
        using HttpResponseMessage response = await client.Http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        using var json = System.Text.Json.JsonDocument.Parse(body);
        return json.RootElement.GetProperty("id").GetInt64();
    }

    /// <summary>A request body that gives the first half of its bytes at once and the rest once <c>release</c> completes.</summary>
    private sealed class HeldUpload(byte[] bytes, string type, Task release) : Stream
    {
        private readonly TaskCompletionSource _halfSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _position;

        /// <summary>The media type of the bytes.</summary>
        public string Type => type;

        /// <summary>Completes when the first half has been read (sent).</summary>
        public Task HalfSent => _halfSent.Task;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => bytes.Length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int half = bytes.Length / 2;
            if (_position == half)
            {
                _halfSent.TrySetResult();
                await release.WaitAsync(cancellationToken);
            }
            int end = _position < half ? half : bytes.Length;
            int count = Math.Min(buffer.Length, end - _position);
            bytes.AsMemory(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
