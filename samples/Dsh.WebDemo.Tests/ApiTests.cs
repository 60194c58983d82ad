using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Dsh.WebDemo.Tests;

/// <summary>The HTTP API without a browser: status, retrieval quality on real sketches, photos, bad input.</summary>
[Collection(DemoCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ApiTests(DemoFixture demo, ITestOutputHelper output)
{
    private const int K = 10;

    /// <summary>
    /// Same-category rate of the top 10 over the 70 bundled test sketches against the 70 test photos; chance is
    /// 1/7 ≈ 0.143. The default built-in model (ResNet18 profile, 32 bits, 4 epochs, seed 1) measured 0.773 (541/700) here;
    /// the bound leaves room for another thread count or libtorch build while staying far above chance.
    /// </summary>
    private const double MinSameCategoryRate = 0.5;

    [Fact]
    public async Task Status_reports_ready_with_the_bundled_gallery()
    {
        JsonElement status = await demo.Http.GetFromJsonAsync<JsonElement>("/api/status");
        Assert.Equal("ready", status.GetProperty("state").GetString());
        Assert.True(status.GetProperty("ready").GetBoolean());
        Assert.Equal(70, status.GetProperty("gallerySize").GetInt32());
        Assert.Equal(32, status.GetProperty("bits").GetInt32());
        Assert.Equal(TestPaths.PacsCategories, status.GetProperty("categories").EnumerateArray().Select(c => c.GetString()!).Order());
        Assert.Contains(status.GetProperty("modelSource").GetString(), new[] { "trained", "cached" });
        Assert.StartsWith("http://127.0.0.1:", demo.BaseAddress.ToString());
        Assert.NotEqual(5080, demo.BaseAddress.Port);
    }

    [Fact]
    public async Task Real_test_sketches_find_their_category_well_above_chance()
    {
        string root = Path.Combine(TestPaths.PacsMini, "test", "sketch");
        var sketches = Directory.GetDirectories(root).OrderBy(d => d, StringComparer.Ordinal)
            .SelectMany(d => Directory.GetFiles(d).OrderBy(f => f, StringComparer.Ordinal).Select(f => (Category: Path.GetFileName(d), File: f)))
            .ToList();
        Assert.Equal(70, sketches.Count);

        int same = 0, total = 0;
        var perCategory = new Dictionary<string, (int Same, int Total)>();
        foreach (var (category, file) in sketches)
        {
            JsonElement body = await SearchAsync(await File.ReadAllBytesAsync(file), K);
            var hits = body.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(K, hits.Count);
            var distances = hits.Select(h => h.GetProperty("distance").GetInt32()).ToList();
            Assert.Equal(distances.Order(), distances);
            int hit = hits.Count(h => h.GetProperty("category").GetString() == category);
            same += hit;
            total += hits.Count;
            var c = perCategory.GetValueOrDefault(category);
            perCategory[category] = (c.Same + hit, c.Total + hits.Count);
        }
        double rate = (double)same / total;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"same-category rate in the top {K}: {rate:F3} ({same}/{total}); chance 0.143"));
        foreach (var (category, (s, t)) in perCategory.OrderBy(p => p.Key))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {category}: {(double)s / t:F2}"));
        }
        Assert.True(rate >= MinSameCategoryRate, $"same-category rate {rate:F3} < {MinSameCategoryRate}");
    }

    [Fact]
    public async Task A_data_url_gives_the_same_answer_as_the_png_bytes()
    {
        string file = Directory.GetFiles(Path.Combine(TestPaths.PacsMini, "test", "sketch", "giraffe")).Order(StringComparer.Ordinal).First();
        byte[] png = await File.ReadAllBytesAsync(file);

        JsonElement fromBytes = await SearchAsync(png, 5);
        using var response = await demo.Http.PostAsync("/api/search?k=5",
            new StringContent("data:image/png;base64," + Convert.ToBase64String(png), Encoding.ASCII, "text/plain"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement fromUrl = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(fromBytes.GetProperty("results").ToString(), fromUrl.GetProperty("results").ToString());
    }

    [Fact]
    public async Task Photos_are_served_and_unknown_ids_are_404()
    {
        JsonElement body = await SearchAsync(await File.ReadAllBytesAsync(
            Directory.GetFiles(Path.Combine(TestPaths.PacsMini, "test", "sketch", "house")).Order(StringComparer.Ordinal).First()), 3);
        foreach (JsonElement hit in body.GetProperty("results").EnumerateArray())
        {
            string url = hit.GetProperty("imageUrl").GetString()!;
            using var photo = await demo.Http.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, photo.StatusCode);
            Assert.Equal("image/jpeg", photo.Content.Headers.ContentType?.MediaType);
            byte[] bytes = await photo.Content.ReadAsByteArrayAsync();
            string expected = Path.Combine(TestPaths.PacsMini, "test", "photo", hit.GetProperty("category").GetString()!, hit.GetProperty("file").GetString()!);
            Assert.Equal(await File.ReadAllBytesAsync(expected), bytes);
        }
        foreach (string bad in new[] { "/photos/70", "/photos/-1", "/photos/abc", "/photos/99999999999999999999" })
        {
            using var response = await demo.Http.GetAsync(bad);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_saved_model_and_another_gallery_are_served_by_a_second_instance()
    {
        // The fixture's demo trained or reused a model and logged its cache file: serve that file with --model.
        var match = System.Text.RegularExpressions.Regex.Match(demo.Output, @"(?:cached as |Using the cached model )(\S+\.dshm)");
        Assert.True(match.Success, demo.Output);
        string model = match.Groups[1].Value.TrimEnd(')');
        string photos = Path.Combine(TestPaths.PacsMini, "train", "photo");

        await using var second = DemoProcess.Start("--urls", "http://127.0.0.1:0", "--model", model, "--photos", photos);
        Uri address = await second.ListeningAsync(TimeSpan.FromMinutes(2));
        using var http = new HttpClient { BaseAddress = address };
        JsonElement status;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        do
        {
            await Task.Delay(500);
            status = await http.GetFromJsonAsync<JsonElement>("/api/status");
            Assert.NotEqual("failed", status.GetProperty("state").GetString());
            Assert.True(DateTime.UtcNow < deadline, second.Output);
        }
        while (!status.GetProperty("ready").GetBoolean());

        Assert.Equal("file", status.GetProperty("modelSource").GetString());
        Assert.Equal(140, status.GetProperty("gallerySize").GetInt32());
        string sketch = Directory.GetFiles(Path.Combine(TestPaths.PacsMini, "test", "sketch", "house")).Order(StringComparer.Ordinal).First();
        var content = new ByteArrayContent(await File.ReadAllBytesAsync(sketch));
        using var response = await http.PostAsync("/api/search?k=20", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var hits = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(20, hits.Count);
        Assert.All(hits, h => Assert.True(File.Exists(Path.Combine(photos, h.GetProperty("category").GetString()!, h.GetProperty("file").GetString()!))));
        output.WriteLine($"second instance: {hits.Count(h => h.GetProperty("category").GetString() == "house")}/20 house photos in the top 20 of 140");
    }

    public static TheoryData<string, string> BadUploads() => new()
    {
        { "empty", "empty" },
        { "text", "not a PNG" },
        { "jpeg", "not a PNG" },
        { "data-url-jpeg", "only PNG" },
        { "data-url-garbage", "base64" },
        { "truncated-png", "truncated" },
        { "corrupt-png", "cannot be decoded" },
        { "huge-dimensions", "must be 1 to 4096" },
        { "too-large-body", "too large" },
        { "blank-drawing", "empty" },
    };

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task Bad_uploads_are_400_with_a_one_line_message(string kind, string expectedInMessage)
    {
        byte[] body = kind switch
        {
            "empty" => Array.Empty<byte>(),
            "text" => Encoding.UTF8.GetBytes("hello, this is not an image"),
            "jpeg" => await File.ReadAllBytesAsync(Directory.GetFiles(Path.Combine(TestPaths.PacsMini, "test", "photo", "dog")).Order(StringComparer.Ordinal).First()),
            "data-url-jpeg" => Encoding.ASCII.GetBytes("data:image/jpeg;base64,/9j/4AAQ"),
            "data-url-garbage" => Encoding.ASCII.GetBytes("data:image/png;base64,@@@not base64@@@"),
            "truncated-png" => TestPng.Solid(32, 32, 255)[..20],
            "corrupt-png" => TestPng.BadBitDepth(64, 64),
            "huge-dimensions" => TestPng.HeaderOnly(100_000, 100_000),
            "too-large-body" => TestPng.Solid(8, 8, 255).Concat(new byte[5 * 1024 * 1024]).ToArray(),
            "blank-drawing" => TestPng.Solid(384, 384, 255),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        using var response = await PostAsync(body, "k=5");

        await AssertBadRequestAsync(response, expectedInMessage);
    }

    [Theory]
    [InlineData("k=0")]
    [InlineData("k=101")]
    [InlineData("k=-3")]
    [InlineData("k=abc")]
    [InlineData("k=1e3")]
    public async Task K_out_of_range_is_400_with_a_one_line_message(string query)
    {
        byte[] png = await File.ReadAllBytesAsync(Directory.GetFiles(Path.Combine(TestPaths.PacsMini, "test", "sketch", "dog")).Order(StringComparer.Ordinal).First());
        using var response = await PostAsync(png, query);
        await AssertBadRequestAsync(response, "k must be");
    }

    private async Task<HttpResponseMessage> PostAsync(byte[] body, string query)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return await demo.Http.PostAsync("/api/search?" + query, content);
    }

    private async Task<JsonElement> SearchAsync(byte[] png, int k)
    {
        using var response = await PostAsync(png, "k=" + k.ToString(CultureInfo.InvariantCulture));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task AssertBadRequestAsync(HttpResponseMessage response, string expectedInMessage)
    {
        string text = await response.Content.ReadAsStringAsync();
        output.WriteLine($"{(int)response.StatusCode} {text}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string message = JsonDocument.Parse(text).RootElement.GetProperty("error").GetString()!;
        Assert.Contains(expectedInMessage, message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain("   at ", message);
    }
}
