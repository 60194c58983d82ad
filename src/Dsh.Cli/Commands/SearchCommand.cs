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
/// <c>dsh search --model FILE --index INDEX --sketch FILE [-k N] [--rerank N] [--json]</c>: the nearest photos of a sketch, by
/// Hamming distance with the first N candidates re-ordered by the sketch's real-valued output.
/// </summary>
internal static class SearchCommand
{
    public static Command Create(CliContext context)
    {
        var model = CliOptions.Model();
        var index = CliOptions.ExistingFile("--index", "A gallery built by 'dsh index build', or any index file dsh reads (a multi-index hash or FAISS binary index: results are ids).", "INDEX");
        var sketch = CliOptions.ExistingFile("--sketch", "The query sketch image.");
        var top = CliOptions.Int("--top", "How many photos to return.", 10, 1, 1_000_000, "-k");
        var rerank = CliOptions.Rerank();
        var json = CliOptions.Json();
        var command = new Command("search", "Find the photos nearest to a sketch in an index.") { model, index, sketch, top, rerank, json };
        command.SetAction(parse =>
        {
            string galleryPath = Path.GetFullPath(parse.GetValue(index)!);
            string sketchPath = Path.GetFullPath(parse.GetValue(sketch)!);
            if (!ImageFiles.IsImage(sketchPath))
            {
                throw new InputDataException($"'{sketchPath}' is not an image ({string.Join(", ", ImageFiles.Extensions)}).");
            }
            Gallery gallery = GalleryFiles.LoadForReading(galleryPath, context.Err, out _);
            string modelPath = Path.GetFullPath(parse.GetValue(model)!);
            using DshModel dsh = ModelFiles.Load(modelPath);
            GalleryFiles.CheckModel(gallery, dsh, modelPath, galleryPath, context.Err);
            context.CancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            float[] embedding = dsh.EmbedSketch(sketchPath);
            BinaryCode code = BinaryCode.FromSigns(embedding);
            TimeSpan encode = clock.Elapsed;
            int depth = parse.GetValue(rerank);
            IReadOnlyList<GalleryNeighbor> hits = depth > 0
                ? gallery.SearchItems(embedding, parse.GetValue(top), depth)
                : gallery.SearchItems(code, parse.GetValue(top));
            TimeSpan search = clock.Elapsed - encode;
            string? root = gallery.Properties.Root;
            if (parse.GetValue(json))
            {
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
                context.Out.WriteLine(new JsonObject
                {
                    ["sketch"] = sketchPath,
                    ["index"] = galleryPath,
                    ["code"] = code.ToString(),
                    ["bits"] = code.CodeLength,
                    ["count"] = gallery.Count,
                    ["rerank"] = depth,
                    ["encodeMs"] = encode.TotalMilliseconds,
                    ["searchMs"] = search.TotalMilliseconds,
                    ["results"] = results,
                }.ToJsonString(CliJson.Options));
                return ExitCodes.Success;
            }
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
            return ExitCodes.Success;
        });
        return command;
    }
}
