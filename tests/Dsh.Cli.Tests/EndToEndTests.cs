using System.Text.Json;
using Dsh.Cli.Tests.Support;
using Dsh.Hashing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Dsh.Cli.Tests;

/// <summary>
/// train → eval (JSON + report.md + PNG) → index build → info → add → search → encode → tokens → demo, with the compact
/// profile for 1 epoch on a 3-category subset of the bundled pacs-mini data. Output is captured, so it must be plain.
/// </summary>
[Trait("Category", "Slow")]
public sealed class EndToEndTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void TrainEvaluateIndexSearchEncodeAndTokens()
    {
        string data = Repo.SmallSubset(_temp);
        string model = _temp.Combine("out", "tiny.dshm");
        CliResult train = DshRun.Run("train", "--sketches", Path.Combine(data, "train", "sketch"), "--photos", Path.Combine(data, "train", "photo"),
            "--bits", "16", "--out", model, "--profile", "compact", "--epochs", "1", "--seed", "3", "--class-vectors", "onehot", "--lr-schedule", "cosine", "--dissimilar-target", "paper", "--average-epochs", "1",
            "--sketch-trunk-lr-factor", "0.5", "--mirror-photos", "--json").AssertSuccess().AssertNoAnsi();
        Assert.Contains("class vectors onehot", train.Err, StringComparison.Ordinal); // the choices are printed when training starts
        Assert.Contains("different classes' target paper", train.Err, StringComparison.Ordinal);
        Assert.Contains("(cosine, sketch trunk ×0.5)", train.Err, StringComparison.Ordinal);
        Assert.Contains("weights averaged over the last 1 epoch(s)", train.Err, StringComparison.Ordinal);
        Assert.Contains("photos encoded mirrored too", train.Err, StringComparison.Ordinal);
        using (JsonDocument json = JsonDocument.Parse(train.Out))
        {
            Assert.Equal("one-hot", json.RootElement.GetProperty("semanticSource").GetString());
            Assert.Equal(1, json.RootElement.GetProperty("epochs").GetInt32()); // --epochs N is exact
            Assert.Equal(16, json.RootElement.GetProperty("bits").GetInt32());
            Assert.Equal(3, json.RootElement.GetProperty("categories").GetInt32());
            Assert.Equal(12, json.RootElement.GetProperty("sketches").GetInt32());
            Assert.Equal("compact", json.RootElement.GetProperty("profile").GetString());
            Assert.True(json.RootElement.GetProperty("mirrorPhotos").GetBoolean()); // --mirror-photos is kept in the model
        }
        Assert.True(File.Exists(model));
        Assert.Contains("train: 1/1", train.Err, StringComparison.Ordinal); // progress went to stderr, one plain line per update

        // eval: every test sketch against every test photo, report next to the model by default.
        string testSketches = Path.Combine(data, "test", "sketch"), testPhotos = Path.Combine(data, "test", "photo");
        CliResult eval = DshRun.Run("eval", "--model", model, "--sketches", testSketches, "--photos", testPhotos, "--json").AssertSuccess().AssertNoAnsi();
        using (JsonDocument json = JsonDocument.Parse(eval.Out))
        {
            JsonElement r = json.RootElement;
            Assert.Equal(9, r.GetProperty("queries").GetInt32());
            Assert.Equal(9, r.GetProperty("gallery").GetInt32());
            double map = r.GetProperty("mapAll").GetDouble();
            Assert.InRange(map, 1.0 / 9, 1.0); // AP is at least 1/9 when 3 of 9 are relevant
            Assert.Equal(9, r.GetProperty("k").GetInt32()); // K 200 capped at the gallery
            Assert.Equal(1.0 / 3, r.GetProperty("precisionAtK").GetDouble(), 9); // all 9 retrieved, 3 relevant
            Assert.Equal(1.0 / 3, r.GetProperty("precisionAt9").GetDouble(), 9); // named after the K measured
            Assert.Equal(3.0 / 200, r.GetProperty("precisionAt200").GetDouble(), 9); // P@200 itself: 3 relevant in 200 ranks
            Assert.True(r.GetProperty("msPerQuery").GetDouble() > 0);
            Assert.True(r.GetProperty("encodeMsPerImage").GetDouble() > 0);
            Assert.True(r.GetProperty("mirrorPhotos").GetBoolean()); // the model's choice
            Assert.False(r.GetProperty("mirrorSketches").GetBoolean());
            JsonElement hamming = r.GetProperty("hammingOnly"), reranked = r.GetProperty("reranked");
            Assert.Equal(map, hamming.GetProperty("mapAll").GetDouble(), 12); // the same ranking, measured twice
            Assert.Equal(("none", 0), (hamming.GetProperty("rerank").GetString(), hamming.GetProperty("depth").GetInt32()));
            Assert.Equal(("codes", 100), (reranked.GetProperty("rerank").GetString(), reranked.GetProperty("depth").GetInt32()));
            Assert.InRange(reranked.GetProperty("mapAll").GetDouble(), 1.0 / 9, 1.0);
            Assert.InRange(reranked.GetProperty("precisionAt10").GetDouble(), 0, 1);
            string reportDir = r.GetProperty("reportPath").GetString()!;
            Assert.Equal(Path.Combine(Path.GetDirectoryName(model)!, "tiny.eval"), reportDir);
            string markdown = File.ReadAllText(Path.Combine(reportDir, "report.md"));
            Assert.Contains(map.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture), markdown, StringComparison.Ordinal);
            Assert.Contains("dsh eval --model", markdown, StringComparison.Ordinal);
            Assert.Contains("| radius | precision | recall |", markdown, StringComparison.Ordinal);
            Assert.Contains("![precision-recall curve](pr-curve.png)", markdown, StringComparison.Ordinal);
            IImageInfo png = Image.Identify(Path.Combine(reportDir, "pr-curve.png"));
            Assert.Equal((800, 600), (png.Width, png.Height));
            Assert.True(new FileInfo(Path.Combine(reportDir, "pr-curve.png")).Length > 5_000); // axes, labels and a curve, not a blank image
            Assert.Contains("](contact-sheet.png)", markdown, StringComparison.Ordinal);
            AssertContactSheet(Path.Combine(reportDir, "contact-sheet.png"), rows: 3, gallery: 9);
        }

        // The text form, with -k and an explicit report folder.
        string customReport = Path.Combine(_temp.Path, "custom-report");
        CliResult evalText = DshRun.Run("eval", "--model", model, "--sketches", testSketches, "--photos", testPhotos, "-k", "5", "--report", customReport)
            .AssertSuccess().AssertNoAnsi();
        Assert.Contains("mAP@all:", evalText.Out, StringComparison.Ordinal);
        Assert.Contains("precision@5:", evalText.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(customReport, "report.md")));

        // index build on two categories, add the third, info, search.
        string index = _temp.Combine("photos.dshi");
        DshRun.Run("index", "build", "--model", model, "--photos", Path.Combine(testPhotos, "dog"), "--out", index).AssertSuccess().AssertNoAnsi();
        CliResult add = DshRun.Run("index", "add", "--index", index, "--model", model, "--photos", testPhotos, "--json").AssertSuccess();
        using (JsonDocument json = JsonDocument.Parse(add.Out))
        {
            Assert.Equal(6, json.RootElement.GetProperty("added").GetInt32()); // the 3 dog photos were there already
            Assert.Equal(9, json.RootElement.GetProperty("count").GetInt32());
        }
        CliResult info = DshRun.Run("index", "info", "--index", index, "--json").AssertSuccess();
        using (JsonDocument json = JsonDocument.Parse(info.Out))
        {
            Assert.Equal(9, json.RootElement.GetProperty("count").GetInt32());
            Assert.Equal(3, json.RootElement.GetProperty("categories").GetProperty("guitar").GetInt32());
        }
        string query = Directory.GetFiles(Path.Combine(testSketches, "guitar"))[0];
        CliResult search = DshRun.Run("search", "--model", model, "--index", index, "--sketch", query, "-k", "4", "--json").AssertSuccess().AssertNoAnsi();
        CliResult hammingSearch = DshRun.Run("search", "--model", model, "--index", index, "--sketch", query, "-k", "4", "--rerank", "0", "--json").AssertSuccess();
        using (JsonDocument json = JsonDocument.Parse(search.Out))
        using (JsonDocument hammingJson = JsonDocument.Parse(hammingSearch.Out))
        {
            JsonElement[] results = json.RootElement.GetProperty("results").EnumerateArray().ToArray();
            Assert.Equal(4, results.Length);
            Assert.All(results, r => Assert.True(File.Exists(r.GetProperty("path").GetString())));
            Assert.Equal(16, json.RootElement.GetProperty("bits").GetInt32());
            Assert.Equal(100, json.RootElement.GetProperty("rerank").GetInt32());
            int[] distances = hammingJson.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("distance").GetInt32()).ToArray();
            Assert.Equal(distances.Order(), distances); // --rerank 0: the Hamming order

            // The default order is the library's two-stage search: the sketch's real-valued output against the codes.
            using DshModel loaded = DshModel.Load(model);
            IReadOnlyList<GalleryNeighbor> expected = Gallery.Load(index).SearchItems(loaded.EmbedSketch(query), 4, 100);
            Assert.Equal(expected.Select(e => e.Id), results.Select(r => r.GetProperty("id").GetInt64()));
        }
        CliResult searchText = DshRun.Run("search", "--model", model, "--index", index, "--sketch", query).AssertSuccess().AssertNoAnsi();
        Assert.Contains("distance", searchText.Out, StringComparison.Ordinal);

        // Any index file dsh reads answers search and info: the same codes as a multi-index hash file give the same ids
        // and distances, with no photo paths (a note on stderr says so).
        string mihPath = _temp.Combine("photos.mihx");
        var mih = new MultiIndexHashIndex(16);
        IndexSnapshot codes = Gallery.Load(index).Snapshot();
        mih.AddRange(codes.Ids, codes.Codes);
        mih.Save(mihPath);
        CliResult mihSearch = DshRun.Run("search", "--model", model, "--index", mihPath, "--sketch", query, "-k", "4", "--json").AssertSuccess();
        Assert.Contains("ids only", mihSearch.Err, StringComparison.Ordinal);
        using (JsonDocument galleryJson = JsonDocument.Parse(search.Out))
        using (JsonDocument mihJson = JsonDocument.Parse(mihSearch.Out))
        {
            static (long, int)[] Hits(JsonDocument d) => d.RootElement.GetProperty("results").EnumerateArray()
                .Select(r => (r.GetProperty("id").GetInt64(), r.GetProperty("distance").GetInt32())).ToArray();
            Assert.Equal(Hits(galleryJson), Hits(mihJson));
        }
        using (JsonDocument mihInfo = JsonDocument.Parse(DshRun.Run("index", "info", "--index", mihPath, "--json").AssertSuccess().Out))
        {
            Assert.Equal(codes.Count, mihInfo.RootElement.GetProperty("count").GetInt32());
            Assert.Equal("index (MultiIndexHashIndex)", mihInfo.RootElement.GetProperty("format").GetString());
        }
        File.WriteAllBytes(_temp.Combine("junk.dshi"), new byte[64]);
        Assert.Equal(3, DshRun.Run("index", "info", "--index", _temp.Combine("junk.dshi")).ExitCode);

        // encode to CSV: one row per sketch, codes of 4 hex digits.
        string csv = _temp.Combine("codes.csv");
        DshRun.Run("encode", "--model", model, "--domain", "sketch", "--input", testSketches, "--out", csv).AssertSuccess().AssertNoAnsi();
        string[] rows = File.ReadAllLines(csv);
        Assert.Equal("id,path,category,code", rows[0]);
        Assert.Equal(10, rows.Length);
        Assert.All(rows.Skip(1), row => Assert.Matches(",(dog|guitar|house),[0-9a-f]{4}$", row));

        // encode to JSON: the same codes as the CSV, in path order.
        string codesJson = _temp.Combine("codes.json");
        DshRun.Run("encode", "--model", model, "--domain", "sketch", "--input", testSketches, "--out", codesJson).AssertSuccess();
        using (JsonDocument json = JsonDocument.Parse(File.ReadAllText(codesJson)))
        {
            string[] jsonCodes = json.RootElement.GetProperty("codes").EnumerateArray().Select(c => c.GetProperty("code").GetString()!).ToArray();
            Assert.Equal(rows.Skip(1).Select(r => r[(r.LastIndexOf(',') + 1)..]), jsonCodes);
            Assert.Equal(16, json.RootElement.GetProperty("bits").GetInt32());
        }

        // tokens: one PNG per photo, same size as the photo.
        string tokens = _temp.Combine("tokens");
        DshRun.Run("tokens", "--photos", testPhotos, "--out", tokens).AssertSuccess().AssertNoAnsi();
        string[] maps = Directory.GetFiles(tokens, "*.png", SearchOption.AllDirectories);
        Assert.Equal(9, maps.Length);
        string firstPhoto = Directory.GetFiles(Path.Combine(testPhotos, "dog")).Order(StringComparer.Ordinal).First();
        IImageInfo tokenMap = Image.Identify(Path.Combine(tokens, "dog", Path.ChangeExtension(Path.GetFileName(firstPhoto), ".png")));
        IImageInfo photo = Image.Identify(firstPhoto);
        Assert.Equal((photo.Width, photo.Height), (tokenMap.Width, tokenMap.Height));
    }

    [Fact]
    public void DemoRunsOnGivenDataAndPrintsOneJsonObject()
    {
        string data = Repo.SmallSubset(_temp);
        CliResult demo = DshRun.Run("demo", "--data", data, "--profile", "compact", "--epochs", "1", "--bits", "16", "--out", _temp.Combine("demo.dshm"), "--json")
            .AssertSuccess().AssertNoAnsi();
        using JsonDocument json = JsonDocument.Parse(demo.Out);
        JsonElement r = json.RootElement;
        Assert.Equal(9, r.GetProperty("queries").GetInt32());
        Assert.InRange(r.GetProperty("precisionAt10").GetDouble(), 0, 1);
        Assert.InRange(r.GetProperty("mapAll").GetDouble(), 1.0 / 9, 1);
        Assert.True(r.GetProperty("trainSeconds").GetDouble() > 0);
        JsonElement[] samples = r.GetProperty("samples").EnumerateArray().ToArray();
        Assert.Equal(3, samples.Length);
        Assert.All(samples, s => Assert.Equal(5, s.GetProperty("results").GetArrayLength()));
    }

    /// <summary>One row per category (a query, then its top results), each result framed green or red.</summary>
    private static void AssertContactSheet(string path, int rows, int gallery)
    {
        using Image<Rgb24> sheet = Image.Load<Rgb24>(path);
        const int cell = 96 + 8, margin = 8, gap = 12;
        Assert.Equal(2 * margin + (1 + Math.Min(8, gallery)) * cell + gap, sheet.Width);
        Assert.Equal(2 * margin + rows * (cell + margin), sheet.Height);
        for (int row = 0; row < rows; row++)
        {
            Rgb24 frame = sheet[margin + cell + gap + 1, margin + row * (cell + margin) + 1];
            Assert.True(frame == new Rgb24(34, 160, 60) || frame == new Rgb24(210, 40, 40), $"row {row}: first result frame is {frame}");
        }
    }

    [Fact]
    public void CancelledBeforeStartIsExitCode130()
    {
        string data = Repo.SmallSubset(_temp);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        CliResult result = DshRun.Run(cancelled.Token, "train", "--sketches", Path.Combine(data, "train", "sketch"), "--photos", Path.Combine(data, "train", "photo"),
            "--out", _temp.Combine("m.dshm"), "--profile", "compact", "--epochs", "1");
        Assert.Equal(ExitCodes.Cancelled, result.ExitCode);
        Assert.Equal("dsh: cancelled", result.ErrLines[^1]);
        Assert.Single(result.ErrLines, l => l.StartsWith("dsh:", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(_temp.Path, "m.dshm")));
    }
}
