using System.CommandLine;
using System.Text.Json.Nodes;
using Dsh.Cli.Files;
using Dsh.Cli.Progress;
using Dsh.Cli.Running;
using Dsh.Hashing;

namespace Dsh.Cli.Commands;

/// <summary><c>dsh index build|add|info</c>: a <see cref="HammingIndex"/> of photo codes with its catalog (id → path, category).</summary>
internal static class IndexCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("index", "Build, extend and inspect a Hamming index of photos.");
        command.Subcommands.Add(Build(context));
        command.Subcommands.Add(Add(context));
        command.Subcommands.Add(Info(context));
        return command;
    }

    private static Command Build(CliContext context)
    {
        var model = CliOptions.Model();
        var photos = CliOptions.ExistingPath("--photos", "A photo, or a folder of photos (category = first sub-folder).");
        var output = CliOptions.OutputPath("--out", "The index file to write (.dshi); its catalog goes to INDEX.catalog.json.", "INDEX");
        var json = CliOptions.Json();
        var command = new Command("build", "Encode photos and write a new index.") { model, photos, output, json };
        command.SetAction(parse =>
        {
            string indexPath = Path.GetFullPath(parse.GetValue(output)!);
            string extension = Path.GetExtension(indexPath).ToLowerInvariant();
            if (extension is ".csv" or ".json")
            {
                throw new UsageException($"--out '{indexPath}': an index cannot be a {extension} file (use e.g. photos.dshi; dsh encode writes {extension})");
            }
            IReadOnlyList<ImageFile> files = ImageFiles.Find(parse.GetValue(photos)!, "photo");
            string modelPath = Path.GetFullPath(parse.GetValue(model)!);
            bool asJson = parse.GetValue(json);
            using DshModel dsh = ModelFiles.Load(modelPath);
            var (codes, items, _) = ProgressSurface.Run(context, asJson, sink => CodeEncoder.EncodeFiles(dsh, files, true, false, 0, sink, context.CancellationToken));
            Directory.CreateDirectory(Path.GetDirectoryName(indexPath)!);
            EncodeCommand.Write(indexPath, codes, items, dsh.CodeLength, modelPath, "photo");
            Report(context, asJson, indexPath, added: items.Count, total: items.Count, dsh.CodeLength);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Add(CliContext context)
    {
        var index = CliOptions.ExistingFile("--index", "The index file (with INDEX.catalog.json next to it).", "INDEX");
        var model = CliOptions.Model();
        var photos = CliOptions.ExistingPath("--photos", "A photo, or a folder of photos; photos already in the catalog are skipped.");
        var json = CliOptions.Json();
        var command = new Command("add", "Encode more photos into an existing index.") { index, model, photos, json };
        command.SetAction(parse =>
        {
            string indexPath = Path.GetFullPath(parse.GetValue(index)!);
            bool asJson = parse.GetValue(json);
            HammingIndex hamming = HammingIndex.Load(indexPath);
            IndexCatalog catalog = IndexCatalog.Load(indexPath);
            CheckConsistent(hamming, catalog, indexPath);
            var known = catalog.Items.Select(i => i.Path).ToHashSet(StringComparer.Ordinal);
            var files = ImageFiles.Find(parse.GetValue(photos)!, "photo").Where(f => !known.Contains(f.Path)).ToList();
            string modelPath = Path.GetFullPath(parse.GetValue(model)!);
            using DshModel dsh = ModelFiles.Load(modelPath);
            if (dsh.CodeLength != hamming.Bits)
            {
                throw new InputDataException($"The model makes {dsh.CodeLength}-bit codes but the index holds {hamming.Bits}-bit codes.");
            }
            if (files.Count > 0)
            {
                long firstId = catalog.Items.Count == 0 ? 0 : catalog.Items.Max(i => i.Id) + 1;
                var (codes, items, _) = ProgressSurface.Run(context, asJson, sink => CodeEncoder.EncodeFiles(dsh, files, true, false, firstId, sink, context.CancellationToken));
                hamming.AddRange(items.Select(i => i.Id).ToArray(), codes);
                hamming.Save(indexPath);
                (catalog with { Items = [.. catalog.Items, .. items] }).Save(indexPath);
            }
            Report(context, asJson, indexPath, added: files.Count, total: hamming.Count, hamming.Bits);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Info(CliContext context)
    {
        var index = CliOptions.ExistingFile("--index", "The index file.", "INDEX");
        var json = CliOptions.Json();
        var command = new Command("info", "Describe an index: code length, size, categories.") { index, json };
        command.SetAction(parse =>
        {
            string indexPath = Path.GetFullPath(parse.GetValue(index)!);
            HammingIndex hamming = HammingIndex.Load(indexPath);
            IndexCatalog catalog = IndexCatalog.Load(indexPath);
            CheckConsistent(hamming, catalog, indexPath);
            var categories = catalog.Items.GroupBy(i => i.Category).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            long bytes = new FileInfo(indexPath).Length;
            if (parse.GetValue(json))
            {
                var perCategory = new JsonObject();
                foreach (var group in categories)
                {
                    perCategory[group.Key] = group.Count();
                }
                context.Out.WriteLine(new JsonObject
                {
                    ["index"] = indexPath,
                    ["bits"] = hamming.Bits,
                    ["count"] = hamming.Count,
                    ["fileBytes"] = bytes,
                    ["model"] = catalog.Model,
                    ["domain"] = catalog.Domain,
                    ["kernel"] = hamming.Kernel.ToString(),
                    ["categories"] = perCategory,
                }.ToJsonString(CliJson.Options));
            }
            else
            {
                context.Out.WriteLine($"index:      {indexPath}");
                context.Out.WriteLine($"codes:      {hamming.Count} x {hamming.Bits} bits ({bytes} bytes on disk)");
                context.Out.WriteLine($"model:      {catalog.Model}");
                context.Out.WriteLine($"kernel:     {hamming.Kernel}");
                context.Out.WriteLine($"categories: {categories.Count} ({string.Join(", ", categories.Select(g => $"{(g.Key.Length == 0 ? "(none)" : g.Key)} {g.Count()}"))})");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The index and its catalog must list the same ids.</summary>
    internal static void CheckConsistent(HammingIndex index, IndexCatalog catalog, string indexPath)
    {
        if (catalog.Bits != index.Bits || catalog.Items.Count != index.Count || catalog.Items.Any(i => !index.Contains(i.Id)))
        {
            throw new InputDataException($"The index '{indexPath}' ({index.Count} x {index.Bits} bits) and its catalog ({catalog.Items.Count} x {catalog.Bits} bits) do not match.");
        }
    }

    private static void Report(CliContext context, bool json, string indexPath, int added, int total, int bits)
    {
        if (json)
        {
            context.Out.WriteLine(new JsonObject
            {
                ["index"] = indexPath,
                ["catalog"] = IndexCatalog.PathFor(indexPath),
                ["bits"] = bits,
                ["added"] = added,
                ["count"] = total,
            }.ToJsonString(CliJson.Options));
        }
        else
        {
            context.Out.WriteLine($"{indexPath}: added {added}, {total} photos, {bits}-bit codes");
        }
    }
}
