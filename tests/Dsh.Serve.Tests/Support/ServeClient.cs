using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Dsh.Serve.Tests.Support;

/// <summary>HTTP calls to a server, with the JSON read back.</summary>
internal sealed class ServeClient(Uri baseAddress) : IDisposable
{
    // A request sent with Expect: 100-continue waits for the server's go-ahead or answer (not HttpClient's default 1 s,
    // after which it sends the body anyway and a refusal can meet it half-sent, as a broken pipe, on a loaded machine).
    public HttpClient Http { get; } = new(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public static ByteArrayContent Image(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    public static string TypeOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".gif" => "image/gif",
        _ => "application/octet-stream",
    };

    public Task<HttpResponseMessage> SearchAsync(byte[] image, int k, string type = "image/png") =>
        Http.PostAsync($"/api/search?k={k}", Image(image, type));

    /// <summary>A search that must succeed: (id, distance) in rank order.</summary>
    public async Task<IReadOnlyList<(long Id, int Distance)>> RankingAsync(byte[] image, int k)
    {
        using HttpResponseMessage response = await SearchAsync(image, k);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        using JsonDocument json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("results").EnumerateArray()
            .Select(r => (r.GetProperty("id").GetInt64(), r.GetProperty("distance").GetInt32())).ToList();
    }

    public async Task<(long Id, int Count, bool Added)> AddAsync(string photoPath, string? category)
    {
        string url = "/api/photos" + (category is null ? "" : "?category=" + Uri.EscapeDataString(category));
        using HttpResponseMessage response = await Http.PostAsync(url, Image(File.ReadAllBytes(photoPath), TypeOf(photoPath)));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        using JsonDocument json = JsonDocument.Parse(body);
        return (json.RootElement.GetProperty("id").GetInt64(), json.RootElement.GetProperty("count").GetInt32(), json.RootElement.GetProperty("added").GetBoolean());
    }

    public async Task<JsonElement> JsonAsync(string url)
    {
        using HttpResponseMessage response = await Http.GetAsync(url);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    public void Dispose() => Http.Dispose();
}
