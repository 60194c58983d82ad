using System.CommandLine;
using System.Text.Json.Nodes;
using Dsh.Cli.Files;
using Dsh.Cli.Running;
using Dsh.Export;

namespace Dsh.Cli.Commands;

/// <summary><c>dsh export --model FILE --out DIR</c>: the model's sketch and photo encoders as ONNX graphs.</summary>
internal static class ExportCommand
{
    /// <summary>The metadata entry naming the model file an export came from (as galleries record models).</summary>
    public const string SourceMetadataKey = "dsh.source";

    public static Command Create(CliContext context)
    {
        var model = CliOptions.Model();
        var output = CliOptions.OutputPath("--out", "Folder for sketch-encoder.onnx and photo-encoder.onnx (created if missing).", "DIR");
        var json = CliOptions.Json();
        var command = new Command("export", "Write the model's sketch and photo encoders as ONNX graphs, for 'dsh serve --runtime onnx' or any ONNX runtime.")
        {
            model, output, json,
        };
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
                files = DshOnnxExport.Export(dsh, outDir, new Dictionary<string, string> { [SourceMetadataKey] = ModelIdentity.Of(modelPath) });
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
}
