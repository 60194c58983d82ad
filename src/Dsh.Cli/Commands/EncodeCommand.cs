using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using Dsh.Cli.Files;
using Dsh.Cli.Progress;
using Dsh.Cli.Running;
using Dsh.Hashing.Persistence;
using Dsh.Hashing;

namespace Dsh.Cli.Commands;

/// <summary>
/// <c>dsh encode --model FILE --domain sketch|photo --input DIR|FILE --out FILE</c>: codes of images, written as CSV
/// (<c>.csv</c>), JSON (<c>.json</c>) or a gallery file (any other name: codes with each image's path and category).
/// </summary>
internal static class EncodeCommand
{
    public static Command Create(CliContext context)
    {
        var model = CliOptions.EncoderModel();
        var runtime = CliOptions.Runtime();
        var domain = new Option<string>("--domain") { Description = "What the images are: sketch or photo.", Required = true, HelpName = "sketch|photo" };
        domain.AcceptOnlyFromAmong("sketch", "photo");
        var input = CliOptions.ExistingPath("--input", "An image, or a folder of images (category = first sub-folder).");
        var output = CliOptions.OutputPath("--out", "Where to write: NAME.csv (id,path,category,code), NAME.json, or a gallery file (any other name, e.g. NAME.dshi).");
        var strict = CliOptions.Strict();
        var mirror = CliOptions.MirrorSketches();
        var json = CliOptions.Json();
        var command = new Command("encode", "Encode sketches or photos into binary codes.") { model, runtime, domain, input, output, strict, mirror, json };
        command.SetAction(parse =>
        {
            bool photos = parse.GetValue(domain) == "photo";
            if (photos && parse.Given(mirror) == true)
            {
                throw new UsageException("--mirror-sketches applies to sketches; photos are mirrored only by a model that mirrors them (dsh train --mirror-photos, the resnet18 default; the model decides, so that every code in a gallery is made the same way)");
            }
            string inputPath = Path.GetFullPath(parse.GetValue(input)!);
            IReadOnlyList<ImageFile> files = ImageFiles.Find(inputPath, photos ? "photo" : "sketch");
            string modelPath = ModelFiles.FullPath(parse.GetValue(model)!);
            string outPath = OutputPaths.CheckFile(parse.GetValue(output)!, "--out");
            bool asJson = parse.GetValue(json);
            using IDshEncoder dsh = ModelFiles.LoadEncoder(modelPath, parse.GetValue(runtime) == "onnx");
            if (parse.Given(mirror) is { } mirrored)
            {
                dsh.MirrorSketches = mirrored;
            }
            var (codes, items, skipped) = ProgressSurface.Run(context,
                sink => CodeEncoder.EncodeFiles(dsh, files, photos, parse.GetValue(strict), 0, sink, context.CancellationToken));
            string root = Directory.Exists(inputPath) ? inputPath : Path.GetDirectoryName(inputPath)!;
            string format = Write(outPath, codes, items, dsh.CodeLength, modelPath, photos ? "photo" : "sketch", root);
            if (asJson)
            {
                context.Out.WriteLine(new JsonObject
                {
                    ["out"] = outPath,
                    ["format"] = format,
                    ["bits"] = dsh.CodeLength,
                    ["count"] = items.Count,
                    ["skipped"] = Reporting.SkippedJson.Build(skipped),
                }.ToJsonString(CliJson.Options));
            }
            else
            {
                context.Out.WriteLine($"wrote {items.Count} {dsh.CodeLength}-bit codes to {outPath} ({format})");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Writes the codes in the format the extension asks for; returns the format's name.</summary>
    internal static string Write(string path, BinaryCodeSet codes, IReadOnlyList<EncodedFile> items, int codeLength, string modelPath, string domain, string? root)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".csv")
        {
            var csv = new StringBuilder("id,path,category,code\n");
            for (int i = 0; i < items.Count; i++)
            {
                csv.Append(items[i].Id.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Csv(items[i].Path)).Append(',')
                    .Append(Csv(items[i].Category)).Append(',').Append(codes[i].ToString()).Append('\n');
            }
            AtomicFile.Write(path, s => s.Write(Encoding.UTF8.GetBytes(csv.ToString())));
            return "csv";
        }
        if (extension == ".json")
        {
            var array = new JsonArray();
            for (int i = 0; i < items.Count; i++)
            {
                array.Add(new JsonObject { ["id"] = items[i].Id, ["path"] = items[i].Path, ["category"] = items[i].Category, ["code"] = codes[i].ToString() });
            }
            var document = new JsonObject { ["bits"] = codeLength, ["model"] = modelPath, ["domain"] = domain, ["codes"] = array };
            AtomicFile.Write(path, s => s.Write(Encoding.UTF8.GetBytes(document.ToJsonString(CliJson.Indented))));
            return "json";
        }
        var gallery = new Gallery(codeLength, new GalleryProperties { Model = ModelIdentity.Of(modelPath), Domain = domain, Root = root });
        gallery.AddRange(codes, items.Select(i => new GalleryItem(GalleryKeys.For(i.Path, root), i.Category.Length == 0 ? null : i.Category)).ToList());
        gallery.Save(path);
        Gallery.DeleteLegacyCatalog(path);
        return "gallery";
    }

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
