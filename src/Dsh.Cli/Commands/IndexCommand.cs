using System.CommandLine;
using System.Text.Json.Nodes;
using Dsh.Cli.Files;
using Dsh.Cli.Progress;
using Dsh.Cli.Reporting;
using Dsh.Cli.Running;
using Dsh.Data;
using Dsh.Hashing;

namespace Dsh.Cli.Commands;

/// <summary>
/// <c>dsh index build|add|info|upgrade</c>: a gallery file (photo codes with each photo's path relative to the gallery's
/// root and its category, one checked file; docs/indexing.md).
/// </summary>
internal static class IndexCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("index", "Build, extend and inspect a gallery of photo codes (one file).");
        command.Subcommands.Add(Build(context));
        command.Subcommands.Add(Add(context));
        command.Subcommands.Add(Info(context));
        command.Subcommands.Add(Upgrade(context));
        return command;
    }

    private static Command Build(CliContext context)
    {
        var model = CliOptions.EncoderModel();
        var runtime = CliOptions.Runtime();
        var photos = CliOptions.ExistingPath("--photos", "A photo, or a folder of photos (category = first sub-folder).");
        var output = CliOptions.OutputPath("--out", "The gallery file to write (e.g. photos.dshi).", "INDEX");
        var root = CliOptions.ExistingDirectory("--photos-root", "The folder photo paths are stored relative to (default: --photos, or its folder for a file).", required: false);
        var strict = CliOptions.Strict();
        var json = CliOptions.Json();
        var command = new Command("build", "Encode photos and write a new gallery.") { model, runtime, photos, output, root, strict, json };
        command.SetAction(parse =>
        {
            string galleryPath = OutputPaths.CheckFile(parse.GetValue(output)!, "--out");
            string extension = Path.GetExtension(galleryPath).ToLowerInvariant();
            if (extension is ".csv" or ".json")
            {
                throw new UsageException($"--out '{galleryPath}': a gallery cannot be a {extension} file (use e.g. photos.dshi; dsh encode writes {extension})");
            }
            string photoPath = Path.GetFullPath(parse.GetValue(photos)!);
            string photosRoot = Path.GetFullPath(parse.GetValue(root) ?? (Directory.Exists(photoPath) ? photoPath : Path.GetDirectoryName(photoPath)!));
            IReadOnlyList<ImageFile> files = ImageFiles.Find(photoPath, "photo");
            string modelPath = ModelFiles.FullPath(parse.GetValue(model)!);
            bool asJson = parse.GetValue(json);
            using IDshEncoder dsh = ModelFiles.LoadEncoder(modelPath, parse.GetValue(runtime) == "onnx");
            EncodedImages encoded = ProgressSurface.Run(context,
                sink => CodeEncoder.Encode(dsh, files.Select(f => f.Path).ToList(), photos: true, parse.GetValue(strict), sink, context.CancellationToken));
            var gallery = new Gallery(dsh.CodeLength, new GalleryProperties { Model = ModelFiles.Identity(dsh, modelPath), Domain = "photo", Root = photosRoot });
            gallery.AddRange(encoded.Codes, encoded.Indexes.Select(i => Item(files[i], photosRoot)).ToList());
            gallery.Save(galleryPath);
            Gallery.DeleteLegacyCatalog(galleryPath);
            Report(context, asJson, galleryPath, gallery, added: encoded.Indexes.Count, encoded.Skipped);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Add(CliContext context)
    {
        var index = CliOptions.ExistingFile("--index", "The gallery file.", "INDEX");
        var model = CliOptions.EncoderModel();
        var runtime = CliOptions.Runtime();
        var photos = CliOptions.ExistingPath("--photos", "A photo, or a folder of photos; photos already in the gallery are skipped.");
        var strict = CliOptions.Strict();
        var json = CliOptions.Json();
        var command = new Command("add", "Encode more photos into an existing gallery (safe alongside other writers of the same file).")
        {
            index, model, runtime, photos, strict, json,
        };
        command.SetAction(parse =>
        {
            string galleryPath = Path.GetFullPath(parse.GetValue(index)!);
            bool asJson = parse.GetValue(json);
            Gallery current = GalleryFiles.Load(galleryPath, context.Err);
            OutputPaths.CheckFile(galleryPath, "--index");
            string? root = current.Properties.Root;
            var files = ImageFiles.Find(parse.GetValue(photos)!, "photo").Where(f => !current.TryFindKey(GalleryKeys.For(f.Path, root), out _)).ToList();
            string modelPath = ModelFiles.FullPath(parse.GetValue(model)!);
            using IDshEncoder dsh = ModelFiles.LoadEncoder(modelPath, parse.GetValue(runtime) == "onnx");
            GalleryFiles.CheckModel(current, dsh.CodeLength, ModelFiles.Identity(dsh, modelPath), galleryPath, context.Err);
            var added = new List<long>();
            IReadOnlyList<SkippedFile> skipped = [];
            Gallery saved = current;
            if (files.Count > 0)
            {
                EncodedImages encoded = ProgressSurface.Run(context,
                    sink => CodeEncoder.Encode(dsh, files.Select(f => f.Path).ToList(), photos: true, parse.GetValue(strict), sink, context.CancellationToken));
                skipped = encoded.Skipped;
                // Encoding ran without the lock; the change itself runs under it, on the file as it is now, so no other
                // writer's change is lost and a photo another writer added meanwhile is not added twice.
                saved = Gallery.Update(galleryPath, g =>
                {
                    for (int row = 0; row < encoded.Indexes.Count; row++)
                    {
                        GalleryItem item = Item(files[encoded.Indexes[row]], g.Properties.Root);
                        if (!g.TryFindKey(item.Key, out _))
                        {
                            added.Add(g.Add(encoded.Codes[row], item));
                        }
                    }
                    return g;
                }, cancellationToken: context.CancellationToken);
            }
            else if (current.LegacyCatalog is not null)
            {
                current.Save(galleryPath);
            }
            Gallery.DeleteLegacyCatalog(galleryPath);
            Report(context, asJson, galleryPath, saved, added.Count, skipped);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Info(CliContext context)
    {
        var index = CliOptions.ExistingFile("--index", "The gallery file, or any index file dsh reads (multi-index hash, FAISS binary).", "INDEX");
        var json = CliOptions.Json();
        var command = new Command("info", "Describe a gallery (or any index file): code length, size, categories, model.") { index, json };
        command.SetAction(parse =>
        {
            string galleryPath = Path.GetFullPath(parse.GetValue(index)!);
            Gallery gallery = GalleryFiles.LoadForReading(galleryPath, context.Err, out string format);
            var categories = gallery.GetCategoryCounts().OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
            int uncategorised = gallery.Count - categories.Sum(c => c.Value);
            long bytes = new FileInfo(galleryPath).Length;
            if (parse.GetValue(json))
            {
                var perCategory = new JsonObject();
                foreach (var (name, count) in categories)
                {
                    perCategory[name] = count;
                }
                context.Out.WriteLine(new JsonObject
                {
                    ["index"] = galleryPath,
                    ["format"] = format,
                    ["bits"] = gallery.CodeLength,
                    ["count"] = gallery.Count,
                    ["fileBytes"] = bytes,
                    ["model"] = gallery.Properties.Model,
                    ["domain"] = gallery.Properties.Domain,
                    ["root"] = gallery.Properties.Root,
                    ["generation"] = gallery.Generation,
                    ["kernel"] = gallery.Kernel.ToString(),
                    ["categories"] = perCategory,
                    ["uncategorised"] = uncategorised,
                }.ToJsonString(CliJson.Options));
            }
            else
            {
                context.Out.WriteLine($"gallery:    {galleryPath}");
                context.Out.WriteLine($"codes:      {gallery.Count} x {gallery.CodeLength} bits ({bytes} bytes on disk, generation {gallery.Generation})");
                context.Out.WriteLine($"model:      {gallery.Properties.Model ?? "(not recorded)"}");
                context.Out.WriteLine($"photos:     {gallery.Properties.Root ?? "(full paths)"}");
                context.Out.WriteLine($"kernel:     {gallery.Kernel}");
                context.Out.WriteLine($"categories: {categories.Count} ({string.Join(", ", categories.Select(c => $"{c.Key} {c.Value}"))}{(uncategorised > 0 ? $"; none: {uncategorised}" : "")})");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Upgrade(CliContext context)
    {
        var index = CliOptions.ExistingFile("--index", "An older index file with its .catalog.json, or a gallery file.", "INDEX");
        var root = CliOptions.ExistingDirectory("--photos-root", "Store photo paths relative to this folder (default: the folder all photos share).", required: false);
        var json = CliOptions.Json();
        var command = new Command("upgrade", "Rewrite an older index and its catalog as one gallery file, photo paths relative to their folder.") { index, root, json };
        command.SetAction(parse =>
        {
            string galleryPath = Path.GetFullPath(parse.GetValue(index)!);
            OutputPaths.CheckFile(galleryPath, "--index");
            Gallery loaded = GalleryFiles.Load(galleryPath, TextWriter.Null);
            string? photosRoot = parse.GetValue(root) is { } given ? Path.GetFullPath(given) : loaded.Properties.Root
                ?? GalleryKeys.CommonFolder(loaded.GetItems().Select(i => i.Value.Key));
            Gallery saved = Gallery.Update(galleryPath, g => Rebased(g, photosRoot), cancellationToken: context.CancellationToken);
            Gallery.DeleteLegacyCatalog(galleryPath);
            Report(context, parse.GetValue(json), galleryPath, saved, added: 0, []);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A copy of <paramref name="gallery"/> (same ids and codes) whose keys are relative to <paramref name="root"/>.</summary>
    private static Gallery Rebased(Gallery gallery, string? root)
    {
        if (root is null || root == gallery.Properties.Root)
        {
            gallery.Properties = gallery.Properties with { Root = root };
            return gallery;
        }
        var items = gallery.GetItems();
        foreach (var (id, item) in items)
        {
            gallery.TryGetCode(id, out BinaryCode? code);
            gallery.Remove(id);
            gallery.Add(id, code!, new GalleryItem(GalleryKeys.For(GalleryKeys.PathOf(item.Key, gallery.Properties.Root), root), item.Category));
        }
        gallery.Properties = gallery.Properties with { Root = root };
        return gallery;
    }

    private static GalleryItem Item(ImageFile file, string? root) =>
        new(GalleryKeys.For(file.Path, root), file.Category.Length == 0 ? null : file.Category);

    private static void Report(CliContext context, bool json, string galleryPath, Gallery gallery, int added, IReadOnlyList<SkippedFile> skipped)
    {
        if (json)
        {
            context.Out.WriteLine(new JsonObject
            {
                ["index"] = galleryPath,
                ["bits"] = gallery.CodeLength,
                ["added"] = added,
                ["count"] = gallery.Count,
                ["root"] = gallery.Properties.Root,
                ["generation"] = gallery.Generation,
                ["skipped"] = SkippedJson.Build(skipped),
            }.ToJsonString(CliJson.Options));
        }
        else
        {
            string note = skipped.Count == 0 ? "" : $", {skipped.Count} skipped";
            context.Out.WriteLine($"{galleryPath}: added {added}, {gallery.Count} photos, {gallery.CodeLength}-bit codes{note}");
        }
    }
}
