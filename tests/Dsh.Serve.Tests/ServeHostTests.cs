using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.Sockets;
using System.Net;
using Dsh.Cli.Serve;
using Dsh.Cli;
using Dsh.Hashing;
using Dsh.Imaging;
using Dsh.Serve.Tests.Support;
using Dsh.Serving;
using Microsoft.AspNetCore.Builder;

namespace Dsh.Serve.Tests;

/// <summary>The server in this process (metrics, the bounded encoder queue) and its start-up refusals as a process.</summary>
[Collection(ServeCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ServeHostTests(ServeData data) : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <param name="options">The server's options.</param>
    /// <param name="encodeDelay">How much longer than the model each sketch takes to encode (see <see cref="SlowEncoder"/>).</param>
    private async Task<(WebApplication App, SketchSearch Search, ServeClient Client)> StartAsync(ServeOptions options, TimeSpan encodeDelay = default)
    {
        SketchSearch search = encodeDelay == TimeSpan.Zero
            ? SketchSearch.Open(new SketchSearchOptions { ModelPath = options.ModelPath, GalleryPath = options.GalleryPath, ImageDecoding = options.Decoding })
            : new SketchSearch(new SlowEncoder(DshModel.Load(options.ModelPath), encodeDelay), Gallery.Load(options.GalleryPath), options.GalleryPath,
                new SketchSearchOptions { ImageDecoding = options.Decoding });
        WebApplication app = ServeHost.Build(options, search, consoleLifetime: false);
        await app.StartAsync();
        return (app, search, new ServeClient(ServeHost.Addresses(app)[0]));
    }

    private ServeOptions Options(int maxConcurrent = 2, int queue = 64, int timeoutMs = 30_000)
    {
        (string gallery, _) = data.NewCopy(_folder);
        return new ServeOptions
        {
            ModelPath = data.ModelPath,
            GalleryPath = gallery,
            Urls = ["http://127.0.0.1:0"],
            MaxConcurrentEncodes = maxConcurrent,
            MaxQueuedEncodes = queue,
            RequestTimeout = TimeSpan.FromMilliseconds(timeoutMs),
        }.Validated();
    }

    [Fact]
    public async Task Searches_encode_times_refusals_and_requests_are_measured()
    {
        var measurements = new ConcurrentBag<(string Instrument, double Value, string? Reason)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name is ServeMetrics.MeterName or "Microsoft.AspNetCore.Hosting")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Add((i.Name, v, Reason(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Add((i.Name, v, Reason(tags))));
        listener.Start();

        var (app, search, client) = await StartAsync(Options());
        await using (app)
        await using (search)
        using (client)
        {
            for (int i = 0; i < 3; i++)
            {
                await client.RankingAsync(File.ReadAllBytes(TestPaths.Sketches[i]), 5);
            }
            using HttpResponseMessage bad = await client.SearchAsync("garbage"u8.ToArray(), 5);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            await client.AddAsync(TestPaths.NewPhotos[3], "x");
        }

        Assert.Equal(3, measurements.Where(m => m.Instrument == "dsh.serve.searches").Sum(m => m.Value));
        Assert.Equal(3, measurements.Count(m => m.Instrument == "dsh.serve.encode.duration" && m.Value > 0));
        Assert.Equal(3, measurements.Count(m => m.Instrument == "dsh.serve.search.duration"));
        Assert.Equal(1, measurements.Where(m => m.Instrument == "dsh.serve.photos.added").Sum(m => m.Value));
        Assert.Equal(1, measurements.Where(m => m.Instrument == "dsh.serve.refused" && m.Reason == "undecodable").Sum(m => m.Value));
        Assert.True(measurements.Count(m => m.Instrument == "http.server.request.duration") >= 5);
    }

    [Fact]
    public async Task A_full_encoder_queue_answers_503_with_retry_after_and_the_rest_are_served()
    {
        // With one encoder that takes at least 0.4 s a sketch and no queue, most of eight simultaneous searches find it busy.
        // The slow encoder sleeps on a pool thread; on a loaded 2-core machine the pool adds threads slowly, so without
        // enough threads at hand the eight requests could reach the encoder one after another and all be served.
        ThreadPool.GetMinThreads(out int workers, out int completions);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), Math.Max(completions, 16));
        var (app, search, client) = await StartAsync(Options(maxConcurrent: 1, queue: 0), TimeSpan.FromMilliseconds(400));
        await using (app)
        await using (search)
        using (client)
        {
            byte[] sketch = File.ReadAllBytes(TestPaths.Sketches[0]);
            HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.SearchAsync(sketch, 3)));
            try
            {
                Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
                HttpResponseMessage busy = Assert.Single(responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).Take(1));
                Assert.Equal(TimeSpan.FromSeconds(1), busy.Headers.RetryAfter!.Delta);
                Assert.Equal("application/problem+json", busy.Content.Headers.ContentType!.MediaType);
                Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, r.StatusCode.ToString()));
            }
            finally
            {
                foreach (HttpResponseMessage r in responses)
                {
                    r.Dispose();
                }
            }
        }
    }

    [Fact]
    public async Task Uploads_in_memory_are_bounded_slow_uploads_take_their_places_and_the_next_beyond_the_bound_is_503()
    {
        var (app, search, client) = await StartAsync(Options(maxConcurrent: 1, queue: 1)); // two places
        await using (app)
        await using (search)
        using (client)
        {
            // Two slow uploads of a 10 MB body: their headers, then 1 KB every 0.2 s (fast enough for Kestrel's minimum
            // data rate, far too slow to finish during the test).
            Uri address = client.Http.BaseAddress!;
            using var stop = new CancellationTokenSource();
            var stalled = new List<TcpClient>();
            var trickles = new List<Task>();
            for (int i = 0; i < 2; i++)
            {
                var tcp = new TcpClient();
                await tcp.ConnectAsync(address.Host, address.Port);
                byte[] head = System.Text.Encoding.ASCII.GetBytes(
                    $"POST /api/search?k=3 HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: image/png\r\nContent-Length: 10000000\r\n\r\n");
                await tcp.GetStream().WriteAsync(head);
                stalled.Add(tcp);
                trickles.Add(Task.Run(async () =>
                {
                    try
                    {
                        while (!stop.IsCancellationRequested)
                        {
                            await tcp.GetStream().WriteAsync(new byte[1024], stop.Token);
                            await Task.Delay(200, stop.Token);
                        }
                    }
                    catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
                    {
                    }
                }));
            }

            // Let the server take both in (nothing else competes for the places meanwhile); neither has an answer.
            await Task.Delay(1000);
            Assert.All(stalled, tcp => Assert.Equal(0, tcp.Available));

            // A third request finds no place (tried for at most 5 s, in case the server was slower to take them).
            HttpResponseMessage? refused = null;
            for (int attempt = 0; attempt < 50 && refused is null; attempt++)
            {
                HttpResponseMessage response = await client.SearchAsync(File.ReadAllBytes(TestPaths.Sketches[0]), 3);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    refused = response;
                }
                else
                {
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    response.Dispose();
                    await Task.Delay(100);
                }
            }
            Assert.NotNull(refused);
            Assert.NotNull(refused.Headers.RetryAfter);
            refused.Dispose();

            // The slow uploads go away: their places are free again.
            await stop.CancelAsync();
            await Task.WhenAll(trickles);
            foreach (TcpClient tcp in stalled)
            {
                tcp.Dispose();
            }
            HttpStatusCode status = HttpStatusCode.ServiceUnavailable;
            for (int attempt = 0; attempt < 50 && status != HttpStatusCode.OK; attempt++)
            {
                using HttpResponseMessage response = await client.SearchAsync(File.ReadAllBytes(TestPaths.Sketches[0]), 3);
                status = response.StatusCode;
                await Task.Delay(status == HttpStatusCode.OK ? 0 : 100);
            }
            Assert.Equal(HttpStatusCode.OK, status);
        }
    }

    [Fact]
    public async Task Requests_waiting_longer_than_the_timeout_are_answered_503()
    {
        // One encoder that takes at least 1 s a sketch, whatever the machine: of ten searches sent at once the first is
        // answered within the 3 s timeout (2 s to spare for the upload, the network and the search on a slow machine),
        // and from the fourth on each has waited longer than the timeout before its turn.
        var (app, search, client) = await StartAsync(Options(maxConcurrent: 1, queue: 32, timeoutMs: 3_000), TimeSpan.FromSeconds(1));
        await using (app)
        await using (search)
        using (client)
        {
            byte[] sketch = File.ReadAllBytes(TestPaths.Sketches[0]);
            // One search first, so the first of the ten does not also pay for the JIT and the first encode.
            using (HttpResponseMessage warm = await client.SearchAsync(sketch, 3))
            {
                Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
            }
            var clock = System.Diagnostics.Stopwatch.StartNew();
            HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.SearchAsync(sketch, 3)));
            HttpStatusCode[] statuses = responses.Select(r => r.StatusCode).ToArray();
            foreach (HttpResponseMessage r in responses)
            {
                r.Dispose();
            }
            string seen = string.Join(", ", statuses);
            Assert.True(statuses.Contains(HttpStatusCode.OK), seen);
            Assert.True(statuses.Contains(HttpStatusCode.ServiceUnavailable), seen);
            Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, seen));
            // None hangs: ten searches of 1 s each take 10 s even if none were refused.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"10 requests took {clock.Elapsed}");
        }
    }

    [Fact]
    public async Task The_served_encoder_mirrors_sketches_as_asked_or_as_the_model_says()
    {
        ServeOptions plain = Options();
        bool modelSays;
        using (DshModel model = DshModel.Load(plain.ModelPath))
        {
            modelSays = model.Architecture.MirrorSketches;
        }
        foreach (bool? mirror in new bool?[] { null, !modelSays, modelSays })
        {
            ServeOptions options = plain with { MirrorSketches = mirror };
            await using SketchSearch search = ServeCommand.Open(options, new CliContext(TextWriter.Null, TextWriter.Null, CancellationToken.None, interactive: false));
            Assert.Equal(mirror ?? modelSays, search.Encoder.MirrorSketches);
        }
    }

    [Fact]
    public async Task Bad_start_ups_end_with_one_line_and_an_exit_code()
    {
        (string gallery, _) = data.NewCopy(_folder);
        string broken = _folder.Combine("broken.dshi");
        File.WriteAllBytes(broken, "DSHI but not a gallery"u8.ToArray());
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var cases = new (string[] Args, int Code, string Text)[]
        {
            (["serve", "--model", data.ModelPath, "--index", broken], ExitCodes.BadInput, "not a usable dsh gallery"),
            (["serve", "--model", gallery, "--index", gallery], ExitCodes.BadInput, "not a usable dsh model"),
            (["serve", "--model", data.ModelPath, "--index", gallery, "--urls", "ftp://127.0.0.1:21"], ExitCodes.Usage, "--urls"),
            (["serve", "--model", data.ModelPath, "--index", gallery, "--max-concurrent", "0"], ExitCodes.Usage, "--max-concurrent"),
            (["serve", "--model", data.ModelPath, "--index", gallery, "--urls", $"http://127.0.0.1:{port}"], ExitCodes.Failure, "cannot listen"),
        };
        foreach (var (args, code, text) in cases)
        {
            await using ServeProcess run = ServeProcess.Start(args);
            Assert.Equal(code, await run.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            string[] errors = run.Output.Split('\n').Where(l => l.StartsWith("dsh: error:", StringComparison.Ordinal)).ToArray();
            Assert.Contains(text, Assert.Single(errors), StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", run.Output, StringComparison.Ordinal); // no stack trace
        }
    }

    private static string? Reason(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "reason")
            {
                return tag.Value as string;
            }
        }
        return null;
    }
}
