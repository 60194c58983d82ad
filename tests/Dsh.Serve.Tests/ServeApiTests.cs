using System.Net;
using System.Text.Json;
using Dsh.Hashing;
using Dsh.Serve.Tests.Support;

namespace Dsh.Serve.Tests;

/// <summary>The HTTP API of a real <c>dsh serve</c> process: status, search equal to <c>dsh search</c>, adds, removals, photos, refusals.</summary>
[Collection(ServeCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ServeApiTests(ServeData data) : IAsyncLifetime
{
    private ServedGallery _served = null!;

    private string GalleryPath => _served.Gallery;

    private string PhotosRoot => _served.Photos;

    private ServeProcess Server => _served.Serve;

    private ServeClient Client => _served.Client;

    public async Task InitializeAsync() => _served = await ServedGallery.StartAsync(data);

    public async Task DisposeAsync() => await _served.DisposeAsync();

    [Fact]
    public async Task Health_and_status_describe_the_loaded_gallery()
    {
        using HttpResponseMessage health = await Client.Http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        JsonElement status = await Client.JsonAsync("/api/status");
        Assert.Equal(16, status.GetProperty("bits").GetInt32());
        Assert.Equal(70, status.GetProperty("count").GetInt32());
        Assert.Equal(TestPaths.PacsCategories, status.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
        Assert.All(TestPaths.PacsCategories, c => Assert.Equal(10, status.GetProperty("categoryCounts").GetProperty(c).GetInt32()));
        Assert.Equal("model.dshm", status.GetProperty("model").GetString());
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(17, 5)]
    [InlineData(42, 70)]
    [InlineData(69, 100)]
    public async Task Search_ranks_as_dsh_search_does(int sketch, int k)
    {
        string path = TestPaths.Sketches[sketch];
        IReadOnlyList<(long, int)> served = await Client.RankingAsync(File.ReadAllBytes(path), k);
        Assert.Equal(data.CliSearch(GalleryPath, path, k), served);
        Assert.Equal(Math.Min(k, 70), served.Count);

        using HttpResponseMessage response = await Client.SearchAsync(File.ReadAllBytes(path), k);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement first = json.RootElement.GetProperty("results")[0];
        Assert.Equal($"/photos/{first.GetProperty("id").GetInt64()}", first.GetProperty("photoUrl").GetString());
        Assert.Contains(first.GetProperty("category").GetString(), TestPaths.PacsCategories);
        Assert.True(json.RootElement.GetProperty("encodeMs").GetDouble() > 0);
        Assert.True(json.RootElement.GetProperty("searchMs").GetDouble() >= 0);
    }

    [Fact]
    public async Task A_photo_is_served_by_its_id_and_never_by_a_path()
    {
        IReadOnlyList<(long Id, int)> top = await Client.RankingAsync(File.ReadAllBytes(TestPaths.Sketches[3]), 1);
        using HttpResponseMessage photo = await Client.Http.GetAsync($"/photos/{top[0].Id}");
        Assert.Equal(HttpStatusCode.OK, photo.StatusCode);
        Assert.Equal("image/jpeg", photo.Content.Headers.ContentType!.MediaType);
        Gallery gallery = Gallery.Load(GalleryPath);
        Assert.True(gallery.TryGetItem(top[0].Id, out GalleryItem? item));
        Assert.Equal(File.ReadAllBytes(Path.Combine(PhotosRoot, item.Key)), await photo.Content.ReadAsByteArrayAsync());

        foreach (string bad in new[] { "70", "-1", "abc", "..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "1.0", "99999999999999999999" })
        {
            using HttpResponseMessage missing = await Client.Http.GetAsync("/photos/" + bad);
            Assert.True(missing.StatusCode == HttpStatusCode.NotFound, $"/photos/{bad}: {missing.StatusCode}");
        }
    }

    [Fact]
    public async Task An_added_photo_is_in_the_gallery_file_when_acknowledged_and_found_then_removed()
    {
        string photo = TestPaths.NewPhotos[0];
        var (id, count, added) = await Client.AddAsync(photo, "dog");
        Assert.True(added);
        Assert.Equal((70L, 71), (id, count));

        // Acknowledged means on disk: another process reading the file sees it.
        Gallery onDisk = Gallery.Load(GalleryPath);
        Assert.Equal(71, onDisk.Count);
        Assert.True(onDisk.TryGetItem(id, out GalleryItem? item));
        Assert.Equal("dog", item.Category);
        Assert.StartsWith("uploads/", item.Key, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(photo), File.ReadAllBytes(Path.Combine(PhotosRoot, item.Key)));

        // Found: every result of a search over the whole gallery, and its own picture.
        IReadOnlyList<(long Id, int)> all = await Client.RankingAsync(File.ReadAllBytes(TestPaths.Sketches[0]), 100);
        Assert.Contains(id, all.Select(r => r.Id));
        Assert.Equal(File.ReadAllBytes(photo), await Client.Http.GetByteArrayAsync($"/photos/{id}"));
        Assert.Equal(data.CliSearch(GalleryPath, TestPaths.Sketches[0], 100), all);

        // The same bytes again: the same item, nothing added.
        Assert.Equal((id, 71, false), await Client.AddAsync(photo, "cat"));

        using HttpResponseMessage removed = await Client.Http.DeleteAsync($"/api/photos/{id}");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal(70, JsonDocument.Parse(await removed.Content.ReadAsStringAsync()).RootElement.GetProperty("count").GetInt32());
        Assert.Equal(70, Gallery.Load(GalleryPath).Count);
        Assert.False(File.Exists(Path.Combine(PhotosRoot, item.Key)));
        using HttpResponseMessage again = await Client.Http.DeleteAsync($"/api/photos/{id}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        using HttpResponseMessage gone = await Client.Http.GetAsync($"/photos/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Photos_another_process_adds_to_the_gallery_are_served_within_seconds()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = Dsh.Cli.DshCli.Run(["index", "add", "--index", GalleryPath, "--model", data.ModelPath, "--photos", TestPaths.NewPhotos[9]],
            stdout, stderr, CancellationToken.None, interactive: false);
        Assert.True(code == 0, stderr.ToString());
        Assert.Equal(71, Gallery.Load(GalleryPath).Count);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((await Client.JsonAsync("/api/status")).GetProperty("count").GetInt32() != 71)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), "the server did not pick up the other process's add");
            await Task.Delay(200);
        }
        IReadOnlyList<(long Id, int)> all = await Client.RankingAsync(File.ReadAllBytes(TestPaths.Sketches[2]), 100);
        Assert.Equal(71, all.Count);
        Assert.Equal(data.CliSearch(GalleryPath, TestPaths.Sketches[2], 100), all);
        // And the server's own add after it keeps both.
        var (id, count, _) = await Client.AddAsync(TestPaths.NewPhotos[10], "dog");
        Assert.Equal((71L, 72), (id, count));
        Assert.Equal(72, Gallery.Load(GalleryPath).Count);
    }

    [Fact]
    public async Task A_gallery_moved_to_another_machine_serves_its_photos_from_photos_root()
    {
        // As built elsewhere: the recorded root does not exist here; the photos were copied to another folder.
        using var folder = new TempFolder();
        (string gallery, string photos) = data.NewCopy(folder);
        Gallery.Update(gallery, g => g.Properties = g.Properties with { Root = "/nowhere/photos" });
        Gallery moved = Gallery.Load(gallery);
        var (id, item) = moved.GetItems()[0];

        await using (ServeProcess rooted = await ServeProcess.StartAsync(data.ModelPath, gallery, "--photos-root", photos))
        using (var client = new ServeClient(rooted.BaseAddress))
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(photos, item.Key)), await client.Http.GetByteArrayAsync($"/photos/{id}"));
            for (int i = 0; i < 50 && !rooted.Output.Contains("photos from", StringComparison.Ordinal); i++)
            {
                await Task.Delay(100); // the summary line follows the listening line
            }
            Assert.Contains($"photos from {photos};", rooted.Output, StringComparison.Ordinal);
        }
        // Without it the gallery's own folder is the root, where these photos are not: 404, not another file.
        await using ServeProcess unrooted = await ServeProcess.StartAsync(data.ModelPath, gallery);
        using var unrootedClient = new ServeClient(unrooted.BaseAddress);
        using HttpResponseMessage missing = await unrootedClient.Http.GetAsync($"/photos/{id}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_photo_folder_that_cannot_be_written_is_a_500_that_changes_nothing()
    {
        using var folder = new TempFolder();
        (string gallery, string photos) = data.NewCopy(folder);
        File.WriteAllText(Path.Combine(photos, "uploads"), "a file where the uploads folder would go");
        await using ServeProcess serve = await ServeProcess.StartAsync(data.ModelPath, gallery);
        using var client = new ServeClient(serve.BaseAddress);

        using HttpResponseMessage response = await client.Http.PostAsync("/api/photos?category=dog",
            ServeClient.Image(File.ReadAllBytes(TestPaths.NewPhotos[11]), "image/jpeg"));
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        JsonElement problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Gallery not writable", problem.GetProperty("title").GetString());
        Assert.DoesNotContain(photos, problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        Assert.Equal(70, Gallery.Load(gallery).Count);
        Assert.Equal(70, (await client.JsonAsync("/api/status")).GetProperty("count").GetInt32());
        await client.RankingAsync(File.ReadAllBytes(TestPaths.Sketches[0]), 3); // searches still work
    }

    [Theory]
    [InlineData("/api/search?k=0")]
    [InlineData("/api/search?k=1001")]
    [InlineData("/api/search?k=ten")]
    [InlineData("/api/search?k=-3")]
    public async Task A_bad_k_is_400_problem_details(string url)
    {
        using HttpResponseMessage response = await Client.Http.PostAsync(url, ServeClient.Image(File.ReadAllBytes(TestPaths.Sketches[0]), "image/png"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        JsonElement problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Contains("k must be", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Cross_site_requests_and_foreign_host_names_are_refused()
    {
        byte[] sketch = File.ReadAllBytes(TestPaths.Sketches[0]);
        using var foreign = new HttpRequestMessage(HttpMethod.Post, "/api/search") { Content = ServeClient.Image(sketch, "image/png") };
        foreign.Headers.Add("Origin", "http://evil.example");
        using HttpResponseMessage refused = await Client.Http.SendAsync(foreign);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);

        using var add = new HttpRequestMessage(HttpMethod.Post, "/api/photos") { Content = ServeClient.Image(File.ReadAllBytes(TestPaths.NewPhotos[1]), "image/jpeg") };
        add.Headers.Add("Sec-Fetch-Site", "cross-site");
        using HttpResponseMessage refusedAdd = await Client.Http.SendAsync(add);
        Assert.Equal(HttpStatusCode.Forbidden, refusedAdd.StatusCode);
        Assert.Equal(70, Gallery.Load(GalleryPath).Count);

        using var same = new HttpRequestMessage(HttpMethod.Post, "/api/search") { Content = ServeClient.Image(sketch, "image/png") };
        same.Headers.Add("Origin", Server.BaseAddress.GetLeftPart(UriPartial.Authority));
        using HttpResponseMessage allowed = await Client.Http.SendAsync(same);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);

        // A name that points at 127.0.0.1 from elsewhere (DNS rebinding) is not this server's host.
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/api/status");
        rebound.Headers.Host = "evil.example:" + Server.BaseAddress.Port;
        using HttpResponseMessage badHost = await Client.Http.SendAsync(rebound);
        Assert.Equal(HttpStatusCode.BadRequest, badHost.StatusCode);
    }

    [Fact]
    public async Task The_page_and_its_script_are_served_with_a_content_security_policy()
    {
        using HttpResponseMessage page = await Client.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<canvas id=\"sketch\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        using HttpResponseMessage script = await Client.Http.GetAsync("/app.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }
}
