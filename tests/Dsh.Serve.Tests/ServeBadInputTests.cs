using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Dsh.Serve.Tests.Support;
using Dsh.Tests.Shared;
using Xunit.Abstractions;

namespace Dsh.Serve.Tests;

/// <summary>
/// Hostile and broken uploads to a real server: each gets its status within seconds and the server's peak resident memory
/// (VmHWM) stays bounded. The bound: less than 400 MB above the peak the server reached answering ordinary searches — a
/// refused image never gets a pixel buffer, and the largest one decoded here (the GIF's first 1000x1000 frame) takes a few MB.
/// </summary>
[Collection(ServeCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ServeBadInputTests(ServeData data, ITestOutputHelper output) : IAsyncLifetime
{
    private const long AllowedGrowth = 400L << 20;
    private ServedGallery _served = null!;

    private ServeProcess Server => _served.Serve;

    private ServeClient Client => _served.Client;

    public async Task InitializeAsync() => _served = await ServedGallery.StartAsync(data);

    public async Task DisposeAsync() => await _served.DisposeAsync();

    [Fact]
    public async Task Bombs_garbage_empty_bodies_wrong_types_and_huge_bodies_get_their_status_fast_within_bounded_memory()
    {
        // Warm up with ordinary searches and photo adds, so the baseline holds the model's working memory.
        foreach (string sketch in TestPaths.Sketches.Take(6))
        {
            await Client.RankingAsync(File.ReadAllBytes(sketch), 10);
        }
        await Client.AddAsync(TestPaths.NewPhotos[0], "dog");
        long baseline = Server.PeakResidentBytes();

        byte[] gif = HostileImages.GifWithFrames(500);
        (string Name, HttpContent Body, HttpStatusCode Expected)[] Cases() =>
        [
            ("PNG claiming 30000x30000", ServeClient.Image(HostileImages.PngClaiming(30_000, 30_000), "image/png"), HttpStatusCode.RequestEntityTooLarge),
            ("real 20000x20000 PNG", ServeClient.Image(HostileImages.PngOfBlackPixels(20_000, 20_000), "image/png"), HttpStatusCode.RequestEntityTooLarge),
            ("500-frame GIF", ServeClient.Image(gif, "image/gif"), HttpStatusCode.OK),
            ("garbage", ServeClient.Image("this is not an image at all"u8.ToArray(), "image/png"), HttpStatusCode.BadRequest),
            ("truncated PNG", ServeClient.Image(File.ReadAllBytes(TestPaths.Sketches[0])[..200], "image/png"), HttpStatusCode.BadRequest),
            ("empty body", ServeClient.Image([], "image/png"), HttpStatusCode.BadRequest),
            ("wrong content type", ServeClient.Image(File.ReadAllBytes(TestPaths.Sketches[0]), "text/plain"), HttpStatusCode.UnsupportedMediaType),
            ("no content type", new ByteArrayContent(File.ReadAllBytes(TestPaths.Sketches[0])), HttpStatusCode.UnsupportedMediaType),
            ("50 MB body", ServeClient.Image(new byte[50 << 20], "image/png"), HttpStatusCode.RequestEntityTooLarge),
        ];
        foreach (string route in new[] { "/api/search?k=3", "/api/photos?category=x" })
        {
            foreach (var (name, body, expected) in Cases())
            {
                var clock = Stopwatch.StartNew();
                // Expect: 100-continue, as curl sends for large uploads: the refusal comes before the body is sent.
                using var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = body };
                request.Headers.ExpectContinue = true;
                using HttpResponseMessage response = await Client.Http.SendAsync(request);
                string text = await response.Content.ReadAsStringAsync();
                output.WriteLine($"{route} {name}: {(int)response.StatusCode} in {clock.ElapsedMilliseconds} ms");
                HttpStatusCode want = expected == HttpStatusCode.OK && route.StartsWith("/api/photos", StringComparison.Ordinal) ? HttpStatusCode.OK : expected;
                Assert.True(response.StatusCode == want, $"{route} {name}: {(int)response.StatusCode} {text}");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{route} {name} took {clock.Elapsed}");
                if (want != HttpStatusCode.OK)
                {
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    string detail = JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString()!;
                    Assert.DoesNotContain("Exception", detail, StringComparison.Ordinal);   // no internal messages
                    Assert.DoesNotContain(_served.Folder.Path, detail, StringComparison.Ordinal);
                }
            }
        }

        long peak = Server.PeakResidentBytes();
        output.WriteLine($"VmHWM: {baseline >> 20} MB after ordinary requests, {peak >> 20} MB after the hostile ones");
        Assert.True(peak - baseline < AllowedGrowth, $"peak memory grew by {(peak - baseline) >> 20} MB");
        await Client.RankingAsync(File.ReadAllBytes(TestPaths.Sketches[1]), 5); // and it still answers
        Assert.False(Server.HasExited);
    }
}
