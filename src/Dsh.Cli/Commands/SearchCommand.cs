using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Dsh.Cli.Files;
using Dsh.Cli.Running;
using Dsh.Hashing;
using Spectre.Console;

namespace Dsh.Cli.Commands;

/// <summary><c>dsh search --model FILE --index INDEX --sketch FILE [-k N] [--json]</c>: the nearest photos of a sketch.</summary>
internal static class SearchCommand
{
    public static Command Create(CliContext context)
    {
        var model = CliOptions.Model();
        var index = CliOptions.ExistingFile("--index", "An index built by 'dsh index build'.", "INDEX");
        var sketch = CliOptions.ExistingFile("--sketch", "The query sketch image.");
        var top = CliOptions.Int("--top", "How many photos to return.", 10, 1, 1_000_000, "-k");
        var json = CliOptions.Json();
        var command = new Command("search", "Find the photos nearest to a sketch in an index.") { model, index, sketch, top, json };
        command.SetAction(parse =>
        {
            string indexPath = Path.GetFullPath(parse.GetValue(index)!);
            string sketchPath = Path.GetFullPath(parse.GetValue(sketch)!);
            if (!ImageFiles.IsImage(sketchPath))
            {
                throw new InputDataException($"'{sketchPath}' is not an image ({string.Join(", ", ImageFiles.Extensions)}).");
            }
            HammingIndex hamming = HammingIndex.Load(indexPath);
            IndexCatalog catalog = IndexCatalog.Load(indexPath);
            IndexCommand.CheckConsistent(hamming, catalog, indexPath);
            using DshModel dsh = ModelFiles.Load(parse.GetValue(model)!);
            if (dsh.CodeLength != hamming.Bits)
            {
                throw new InputDataException($"The model makes {dsh.CodeLength}-bit codes but the index holds {hamming.Bits}-bit codes.");
            }
            context.CancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            BinaryCode code = dsh.EncodeSketch(sketchPath);
            TimeSpan encode = clock.Elapsed;
            IReadOnlyList<Neighbor> hits = hamming.Search(code, parse.GetValue(top));
            TimeSpan search = clock.Elapsed - encode;
            var byId = catalog.Items.ToDictionary(i => i.Id);
            if (parse.GetValue(json))
            {
                var results = new JsonArray();
                int rank = 1;
                foreach (Neighbor hit in hits)
                {
                    CatalogItem item = byId[hit.Id];
                    results.Add(new JsonObject { ["rank"] = rank++, ["id"] = hit.Id, ["distance"] = hit.Distance, ["path"] = item.Path, ["category"] = item.Category });
                }
                context.Out.WriteLine(new JsonObject
                {
                    ["sketch"] = sketchPath,
                    ["code"] = code.ToString(),
                    ["bits"] = code.Bits,
                    ["encodeMs"] = encode.TotalMilliseconds,
                    ["searchMs"] = search.TotalMilliseconds,
                    ["results"] = results,
                }.ToJsonString(CliJson.Options));
                return ExitCodes.Success;
            }
            var table = new Table().AddColumns("rank", "distance", "category", "photo");
            int r = 1;
            foreach (Neighbor hit in hits)
            {
                CatalogItem item = byId[hit.Id];
                table.AddRow((r++).ToString(System.Globalization.CultureInfo.InvariantCulture), hit.Distance.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Markup.Escape(item.Category), Markup.Escape(item.Path));
            }
            IAnsiConsole console = context.ResultConsole();
            console.WriteLine($"{sketchPath}: {hits.Count} of {hamming.Count} photos, encode {Format.Ms(encode.TotalMilliseconds)}, search {Format.Ms(search.TotalMilliseconds)}");
            console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }
}
