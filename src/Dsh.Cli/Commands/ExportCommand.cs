using System.CommandLine;
using System.Text.Json.Nodes;
using Dsh.Cli.Files;
using Dsh.Cli.Running;
using Dsh.Export;

namespace Dsh.Cli.Commands;

/// <summary>
/// <c>dsh export --model FILE --out DIR [--int8 --calibration-sketches DIR --calibration-photos DIR]</c>: the model's
/// sketch and photo encoders as ONNX graphs, float32 or quantized to INT8.
/// </summary>
internal static class ExportCommand
{
    /// <summary>The metadata entry naming the model file an export came from (as galleries record models).</summary>
    public const string SourceMetadataKey = "dsh.source";

    /// <summary>Calibration images taken from each folder at most (evenly spaced in path order, so every category is seen).</summary>
    public const int CalibrationImages = 64;

    public static Command Create(CliContext context)
    {
        var model = CliOptions.Model();
        var output = CliOptions.OutputPath("--out", "Folder for sketch-encoder.onnx and photo-encoder.onnx (created if missing).", "DIR");
        var json = CliOptions.Json();
        var int8 = new Option<bool>("--int8") { Description = "Quantize the trunks to 8-bit integers (about 3x faster than float32 on CPUs with VNNI; a few code bits change): needs the calibration folders." };
        var calibrationSketches = CliOptions.ExistingDirectory("--calibration-sketches", $"With --int8: sketches like the queries (up to {CalibrationImages} are used).", required: false);
        var calibrationPhotos = CliOptions.ExistingDirectory("--calibration-photos", $"With --int8: photos like the gallery (up to {CalibrationImages} are used).", required: false);
        var command = new Command("export", "Write the model's sketch and photo encoders as ONNX graphs, for 'dsh serve --runtime onnx' or any ONNX runtime.")
        {
            model, output, int8, calibrationSketches, calibrationPhotos, json,
        };
        command.Validators.Add(r =>
        {
            bool quantize = r.GetValue(int8);
            bool sketches = r.GetValue(calibrationSketches) is not null, photos = r.GetValue(calibrationPhotos) is not null;
            if (quantize && !(sketches && photos))
            {
                r.AddError("--int8 needs --calibration-sketches DIR and --calibration-photos DIR");
            }
            else if (!quantize && (sketches || photos))
            {
                r.AddError("--calibration-sketches and --calibration-photos apply to --int8 only");
            }
        });
        command.SetAction(parse =>
        {
            string outDir = Path.GetFullPath(parse.GetValue(output)!);
            if (File.Exists(outDir))
            {
                throw new InputDataException($"--out '{outDir}' is a file; give a folder");
            }
            string modelPath = parse.GetValue(model)!;
            using DshModel dsh = ModelFiles.Load(modelPath);
            DshOnnxExportResult files;
            try
            {
                var metadata = new Dictionary<string, string> { [SourceMetadataKey] = ModelIdentity.Of(modelPath) };
                files = parse.GetValue(int8)
                    ? DshOnnxExport.ExportInt8(dsh, outDir, Calibration(parse.GetValue(calibrationSketches)!, "sketch"),
                        Calibration(parse.GetValue(calibrationPhotos)!, "photo"), metadata)
                    : DshOnnxExport.Export(dsh, outDir, metadata);
            }
            catch (NotSupportedException e)
            {
                throw new InputDataException(e.Message, e);
            }
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(new JsonObject
                {
                    ["sketchEncoder"] = files.SketchEncoderPath,
                    ["photoEncoder"] = files.PhotoEncoderPath,
                    ["codeLength"] = dsh.CodeLength,
                    ["quantization"] = parse.GetValue(int8) ? "int8" : "float32",
                    ["opset"] = DshOnnxExport.Opset,
                }.ToJsonString(CliJson.Options));
            }
            else
            {
                context.Out.WriteLine($"wrote {files.SketchEncoderPath}");
                context.Out.WriteLine($"wrote {files.PhotoEncoderPath}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Up to <see cref="CalibrationImages"/> images under <paramref name="folder"/>, evenly spaced in path order.</summary>
    private static IReadOnlyList<string> Calibration(string folder, string what)
    {
        IReadOnlyList<ImageFile> all = ImageFiles.Find(folder, what);
        double step = Math.Max(1.0, all.Count / (double)CalibrationImages);
        return [.. Enumerable.Range(0, Math.Min(all.Count, CalibrationImages)).Select(i => all[(int)(i * step)].Path)];
    }
}
