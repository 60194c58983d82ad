using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Dsh.Cli.Files;
using Dsh.Cli.Running;
using Dsh.Hashing;
using Spectre.Console;

namespace Dsh.Cli.Commands;

/// <summary>
/// <c>dsh search --model FILE --index INDEX --sketch FILE|DIR … [-k N] [--rerank N] [--json]</c>: the nearest photos of each
/// sketch, by Hamming distance with the first N candidates re-ordered by the sketch's real-valued output; with --json one
/// object per sketch, one per line (JSON Lines).
/// </summary>
internal static class SearchCommand
{
    public static Command Create(CliContext context)
    {
        var model = CliOptions.EncoderModel();
        var runtime = CliOptions.Runtime();
        var index = CliOptions.ExistingFile("--index", "A gallery built by 'dsh index build', or any index file dsh reads (a multi-index hash or FAISS binary index: results are ids).", "INDEX");
        var sketch = new Option<string[]>("--sketch")
        {
            Description = "A query sketch image, or a folder of them; repeat it for more. The model is loaded once for all.",
            Required = true,
            HelpName = "FILE|DIR",
            Arity = ArgumentArity.OneOrMore,
        };
        sketch.Validators.Add(r =>
        {
            foreach (string value in r.GetValueOrDefault<string[]>() ?? [])
            {
                if (!File.Exists(value) && !Directory.Exists(value))
                {
                    r.AddError($"--sketch: '{value}' does not exist");
                }
            }
        });
        var top = CliOptions.Int("--top", "How many photos to return.", 10, 1, 1_000_000, "-k");
        var rerank = CliOptions.Rerank();
        var mirror = CliOptions.MirrorSketches();
        var json = CliOptions.Json("Print one JSON object a sketch on stdout, one per line (JSON lines).");
        var command = new Command("search", "Find the photos nearest to one or more sketches in an index.") { model, runtime, index, sketch, top, rerank, mirror, json };
        command.SetAction(parse =>
        {
            string galleryPath = Path.GetFullPath(parse.GetValue(index)!);
            IReadOnlyList<string> sketches = Queries(parse.GetValue(sketch)!);
            Gallery gallery = GalleryFiles.LoadForReading(galleryPath, context.Err, out _);
            string modelPath = ModelFiles.FullPath(parse.GetValue(model)!);
            using IDshEncoder dsh = ModelFiles.LoadEncoder(modelPath, parse.GetValue(runtime) == "onnx");
            if (parse.Given(mirror) is { } mirrored)
            {
                dsh.MirrorSketches = mirrored;
            }
            GalleryFiles.CheckModel(gallery, dsh.CodeLength, ModelFiles.Identity(dsh, modelPath), galleryPath, context.Err);
            int k = parse.GetValue(top), depth = parse.GetValue(rerank);
            bool asJson = parse.GetValue(json);
            int searched = 0;
            foreach (string sketchPath in sketches)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                float[] embedding;
                try
                {
                    embedding = dsh.EmbedSketch(sketchPath);
                }
                catch (Exception e) when (sketches.Count > 1 && e is InvalidDataException or IOException or UnauthorizedAccessException)
                {
                    // One bad file among many is skipped and said, as encode and index do; a single query fails.
                    context.Err.WriteLine($"skipped '{sketchPath}': {Format.OneLine(e.Message)}");
                    continue;
                }
                BinaryCode code = BinaryCode.FromSigns(embedding);
                TimeSpan encode = clock.Elapsed;
                IReadOnlyList<GalleryNeighbor> hits = depth > 0 ? gallery.SearchItems(embedding, k, depth) : gallery.SearchItems(code, k);
                TimeSpan search = clock.Elapsed - encode;
                if (asJson)
                {
                    context.Out.WriteLine(Json(sketchPath, galleryPath, gallery, code, depth, dsh.MirrorSketches, encode, search, hits).ToJsonString(CliJson.Options));
                }
                else
                {
                    WriteTable(context, sketchPath, gallery, encode, search, hits);
                }
                searched++;
            }
            if (searched == 0)
            {
                throw new InputDataException($"none of the {sketches.Count} sketches could be read");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The query files: each <c>--sketch</c> value, a folder giving every image under it (in name order).</summary>
    private static IReadOnlyList<string> Queries(IEnumerable<string> values)
    {
        var files = new List<string>();
        foreach (string value in values)
        {
            string full = Path.GetFullPath(value);
            if (File.Exists(full) && !ImageFiles.IsImage(full))
            {
                throw new InputDataException($"'{full}' is not an image ({string.Join(", ", ImageFiles.Extensions)}).");
            }
            files.AddRange(ImageFiles.Find(full, "sketch").Select(f => f.Path).Order(StringComparer.Ordinal));
        }
        return files;
    }

    private static JsonObject Json(string sketchPath, string galleryPath, Gallery gallery, BinaryCode code, int depth, bool mirrored, TimeSpan encode, TimeSpan search,
        IReadOnlyList<GalleryNeighbor> hits)
    {
        string? root = gallery.Properties.Root;
        var results = new JsonArray();
        int rank = 1;
        foreach (GalleryNeighbor hit in hits)
        {
            results.Add(new JsonObject
            {
                ["rank"] = rank++,
                ["id"] = hit.Id,
                ["distance"] = hit.Distance,
                ["key"] = hit.Item.Key,
                ["path"] = GalleryKeys.PathOf(hit.Item.Key, root),
                ["category"] = hit.Item.Category,
            });
        }
        return new JsonObject
        {
            ["sketch"] = sketchPath,
            ["index"] = galleryPath,
            ["code"] = code.ToString(),
            ["bits"] = code.CodeLength,
            ["count"] = gallery.Count,
            ["rerank"] = depth,
            ["mirrorSketches"] = mirrored,
            ["encodeMs"] = encode.TotalMilliseconds,
            ["searchMs"] = search.TotalMilliseconds,
            ["results"] = results,
        };
    }

    private static void WriteTable(CliContext context, string sketchPath, Gallery gallery, TimeSpan encode, TimeSpan search, IReadOnlyList<GalleryNeighbor> hits)
    {
        string? root = gallery.Properties.Root;
        var table = new Table().AddColumns("rank", "id", "distance", "category", "photo");
        int r = 1;
        foreach (GalleryNeighbor hit in hits)
        {
            table.AddRow((r++).ToString(CultureInfo.InvariantCulture), hit.Id.ToString(CultureInfo.InvariantCulture),
                hit.Distance.ToString(CultureInfo.InvariantCulture), Markup.Escape(hit.Item.Category ?? ""), Markup.Escape(GalleryKeys.PathOf(hit.Item.Key, root)));
        }
        IAnsiConsole console = context.ResultConsole();
        console.WriteLine($"{sketchPath}: {hits.Count} of {gallery.Count} photos, encode {Format.Ms(encode.TotalMilliseconds)}, search {Format.Ms(search.TotalMilliseconds)}");
        console.Write(table);
    }
}
