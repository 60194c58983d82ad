using System.CommandLine;
using System.Text.Json.Nodes;
using Dsh.Cli.Files;
using Dsh.Cli.Progress;
using Dsh.Imaging.Contours;
using Dsh.Imaging;

namespace Dsh.Cli.Commands;

/// <summary><c>dsh tokens --photos DIR|FILE --out DIR</c>: the sketch-token map (contours drawn as strokes) of each photo, as PNG.</summary>
internal static class TokensCommand
{
    public static Command Create(CliContext context)
    {
        var photos = CliOptions.ExistingPath("--photos", "A photo, or a folder of photos.");
        var output = CliOptions.OutputPath("--out", "Folder for the PNG maps (the photos' sub-folders are kept).", "DIR");
        var json = CliOptions.Json();
        var command = new Command("tokens", "Write the sketch-token maps the network sees beside each photo (built-in contour extractor).") { photos, output, json };
        command.SetAction(parse =>
        {
            string input = Path.GetFullPath(parse.GetValue(photos)!);
            IReadOnlyList<ImageFile> files = ImageFiles.Find(input, "photo");
            string outDir = Path.GetFullPath(parse.GetValue(output)!);
            bool asJson = parse.GetValue(json);
            string root = File.Exists(input) ? Path.GetDirectoryName(input)! : input;
            var extractor = new ContourTokenExtractor();
            string[] targets = files.Select(f => Path.Combine(outDir, Path.ChangeExtension(Path.GetRelativePath(root, f.Path), ".png"))).ToArray();
            var clash = targets.Select((t, i) => (Target: t, Index: i)).GroupBy(t => t.Target, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (clash != null)
            {
                throw new InputDataException($"{string.Join(" and ", clash.Select(c => files[c.Index].Path))} would both be written as {clash.Key}; rename one");
            }
            string[] written = ProgressSurface.Run(context, sink =>
            {
                IProgressTask task = sink.AddTask("sketch tokens", files.Count);
                var paths = new string[files.Count];
                int done = 0;
                Parallel.For(0, files.Count, new ParallelOptions { CancellationToken = context.CancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
                {
                    string target = targets[i];
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    extractor.Extract(RgbImage.Load(files[i].Path)).SavePng(target);
                    paths[i] = target;
                    int n = Interlocked.Increment(ref done);
                    lock (task)
                    {
                        task.Update(n);
                    }
                });
                task.Complete($"{files.Count} maps");
                return paths;
            });
            if (asJson)
            {
                context.Out.WriteLine(new JsonObject { ["out"] = outDir, ["count"] = written.Length, ["extractor"] = extractor.Name }.ToJsonString(CliJson.Options));
            }
            else
            {
                context.Out.WriteLine($"wrote {written.Length} sketch-token maps to {outDir}");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
