using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Dsh.ServeLoad;

/// <summary>One request as the client saw it: the whole round trip, the status, and the server's own timings.</summary>
/// <param name="LatencyMs">From sending the request to having read the whole answer.</param>
/// <param name="Status">The HTTP status; 0 when the request failed without one.</param>
/// <param name="EncodeMs">The answer's <c>encodeMs</c> (decode and encode the sketch); NaN unless 200.</param>
/// <param name="SearchMs">The answer's <c>searchMs</c> (the Hamming search); NaN unless 200.</param>
internal readonly record struct Sample(double LatencyMs, int Status, double EncodeMs, double SearchMs);

/// <summary>
/// N clients, each its own <see cref="HttpClient"/> and connection, each looping send → await the answer → send,
/// posting the sketches in turn (each client starts at another one) to <c>/api/search?k=K</c>.
/// </summary>
internal sealed class LoadClients(Uri server, IReadOnlyList<byte[]> sketches, int clients, int k) : IDisposable
{
    private readonly HttpClient[] _http = Enumerable.Range(0, clients)
        .Select(_ => new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromMinutes(5) })
        .ToArray();

    private readonly Uri _search = new($"/api/search?k={k}", UriKind.Relative);

    public int Count => clients;

    /// <summary>Runs every client until <paramref name="duration"/> has passed (a request in flight then is finished and kept).</summary>
    /// <returns>The wall-clock seconds until the last client stopped, and every request.</returns>
    public async Task<(double Seconds, List<Sample> Samples)> RunAsync(TimeSpan duration, int firstSketch)
    {
        var clock = Stopwatch.StartNew();
        List<Sample>[] perClient = await Task.WhenAll(_http.Select((http, c) =>
            Task.Run(() => ClientAsync(http, firstSketch + c * sketches.Count / clients, clock, duration))));
        return (clock.Elapsed.TotalSeconds, perClient.SelectMany(s => s).ToList());
    }

    public void Dispose()
    {
        foreach (HttpClient http in _http)
        {
            http.Dispose();
        }
    }

    private async Task<List<Sample>> ClientAsync(HttpClient http, int next, Stopwatch clock, TimeSpan duration)
    {
        var samples = new List<Sample>();
        while (clock.Elapsed < duration)
        {
            byte[] sketch = sketches[next++ % sketches.Count];
            samples.Add(await SendAsync(http, sketch));
        }
        return samples;
    }

    private async Task<Sample> SendAsync(HttpClient http, byte[] sketch)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            using var content = new ByteArrayContent(sketch);
            content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            using HttpResponseMessage response = await http.PostAsync(_search, content);
            byte[] body = await response.Content.ReadAsByteArrayAsync();
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                return new Sample(ms, (int)response.StatusCode, double.NaN, double.NaN);
            }
            using JsonDocument json = JsonDocument.Parse(body);
            JsonElement root = json.RootElement;
            if (root.GetProperty("results").GetArrayLength() != Math.Min(k, root.GetProperty("count").GetInt32()))
            {
                throw new InvalidDataException("the answer has fewer results than k: " + root.GetRawText()[..Math.Min(300, root.GetRawText().Length)]);
            }
            return new Sample(ms, 200, root.GetProperty("encodeMs").GetDouble(), root.GetProperty("searchMs").GetDouble());
        }
        catch (HttpRequestException)
        {
            return new Sample(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 0, double.NaN, double.NaN);
        }
    }
}
