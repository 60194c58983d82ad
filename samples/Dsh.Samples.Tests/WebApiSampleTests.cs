using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dsh.Samples.Tests.Support;

namespace Dsh.Samples.Tests;

/// <summary>
/// The web API sample, on the packages: started as a child process on a free port with the model and the gallery that
/// <see cref="TrainAndSearchRun"/> saved, asked over HTTP with a real sketch from the bundled test set and with garbage.
/// </summary>
[Trait("Category", "Slow")]
[Collection(TrainAndSearchRun.Collection)]
public class WebApiSampleTests(TrainAndSearchRun run)
{
    private const string Sample = "Dsh.Samples.WebApi";

    private static string TestData => Path.Combine(SampleBuild.SamplesRoot, "data", "pacs-mini", "test");

    [Fact]
    public async Task Search_AnswersTheNearestPhotos_AsTheTrainingSamplesIndexDoes()
    {
        Assert.True(run.Result.ExitCode == 0, run.Result.All);
        // The train-and-search sample printed the top 5 of a few test sketches from its in-process HammingIndex over
        // the same codes: "query FILE (CATEGORY): n/5 right -> category:file d=N, ...".
        Match printed = Regex.Match(run.Result.StandardOutput, @"^query (\S+) \((\w+)\): [0-5]/5 right -> (.*)$", RegexOptions.Multiline);
        Assert.True(printed.Success, run.Result.StandardOutput);
        string sketch = Path.Combine(TestData, "sketch", printed.Groups[2].Value, printed.Groups[1].Value);
        string[] expected = Regex.Matches(printed.Groups[3].Value, @"(\w+):([^,\s]+) d=(\d+)")
            .Select(m => $"{m.Groups[1].Value}/{m.Groups[2].Value} {m.Groups[3].Value}").ToArray();
        Assert.Equal(5, expected.Length);
        string[] categories = Directory.GetDirectories(Path.Combine(TestData, "photo")).Select(Path.GetFileName).ToArray()!;

        using RunningApp app = StartSample();
        using HttpClient http = Client(app);
        using HttpResponseMessage response = await http.PostAsync("search?k=5", Png(File.ReadAllBytes(sketch)));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}\n{app.Output}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);

        using JsonDocument json = JsonDocument.Parse(body);
        JsonElement[] results = json.RootElement.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(5, results.Length);
        int[] distances = results.Select(r => r.GetProperty("distance").GetInt32()).ToArray();
        Assert.All(distances, d => Assert.InRange(d, 0, 32)); // ordered by the two-stage search, not by distance alone
        Assert.Equal(5, results.Select(r => r.GetProperty("id").GetInt64()).Distinct().Count());
        foreach (JsonElement result in results)
        {
            string category = result.GetProperty("category").GetString()!;
            string key = result.GetProperty("key").GetString()!;
            Assert.Contains(category, categories);
            Assert.StartsWith(category + "/", key, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(TestData, "photo", key)), $"{key} is not a bundled test photo");
        }
        Assert.True(json.RootElement.GetProperty("encodeMs").GetDouble() > 0, body);
        Assert.True(json.RootElement.GetProperty("searchMs").GetDouble() >= 0, body);
        // The same model and photo codes, loaded from the saved files, rank the same photos at the same distances (both
        // re-order the 100 nearest codes by the sketch's real-valued output).
        Assert.Equal(expected, results.Select(r => $"{r.GetProperty("key").GetString()} {r.GetProperty("distance").GetInt32()}"));
    }

    [Fact]
    public async Task Garbage_AndABadK_Are400ProblemDetails()
    {
        Assert.True(run.Result.ExitCode == 0, run.Result.All);
        string sketch = Directory.EnumerateFiles(Path.Combine(TestData, "sketch"), "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();

        using RunningApp app = StartSample();
        using HttpClient http = Client(app);
        await AssertProblem(http, "search?k=5", new ByteArrayContent("this is not an image"u8.ToArray()), "Not a readable image");
        await AssertProblem(http, "search", new ByteArrayContent([]), "Not a readable image");
        await AssertProblem(http, "search?k=0", Png(File.ReadAllBytes(sketch)), "Bad k");
        await AssertProblem(http, "search?k=many", Png(File.ReadAllBytes(sketch)), "Bad Request");

        // Still serving after them.
        using HttpResponseMessage fine = await http.PostAsync("search?k=3", Png(File.ReadAllBytes(sketch)));
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public void MissingArgumentsOrFiles_PrintOneLineAndExit2()
    {
        string dll = SampleBuild.DllOf(Sample);
        var noIndex = ChildProcess.RunDll(dll, ["--model", "model.dshm"], TimeSpan.FromMinutes(1), SampleBuild.OutputOf(Sample));
        Assert.Equal(2, noIndex.ExitCode);
        Assert.StartsWith("usage: Dsh.Samples.WebApi --model", noIndex.StandardError.Trim(), StringComparison.Ordinal);

        string missing = Path.Combine(Path.GetTempPath(), $"dsh-no-such-model-{Guid.NewGuid():N}.dshm");
        var noFile = ChildProcess.RunDll(dll, ["--model", missing, "--index", run.GalleryPath, "--urls", "http://127.0.0.1:0"],
            TimeSpan.FromMinutes(1), SampleBuild.OutputOf(Sample));
        Assert.True(noFile.ExitCode == 2, noFile.All);
        Assert.StartsWith("error:", noFile.StandardError.Trim(), StringComparison.Ordinal);
        Assert.Contains(missing, noFile.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("listening on", noFile.StandardOutput, StringComparison.Ordinal);
    }

    private RunningApp StartSample() => RunningApp.StartDll(SampleBuild.DllOf(Sample),
        ["--model", run.ModelPath, "--index", run.GalleryPath, "--urls", "http://127.0.0.1:0"], SampleBuild.OutputOf(Sample));

    /// <summary>A client for the address the sample logs once it listens (port 0: the port it was given).</summary>
    private static HttpClient Client(RunningApp app)
    {
        string address = app.WaitFor(@"Dsh sketch search listening on (http://\S+)", TimeSpan.FromMinutes(2));
        return new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(1) };
    }

    private static ByteArrayContent Png(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return content;
    }

    private static async Task AssertProblem(HttpClient http, string path, HttpContent content, string title)
    {
        using (content)
        using (HttpResponseMessage response = await http.PostAsync(path, content))
        {
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using JsonDocument problem = JsonDocument.Parse(body);
            Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
            Assert.Equal(title, problem.RootElement.GetProperty("title").GetString());
        }
    }
}
