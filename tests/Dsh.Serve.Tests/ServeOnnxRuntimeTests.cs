using System.Text.RegularExpressions;
using Dsh.Cli;
using Dsh.Serve.Tests.Support;
using Xunit.Abstractions;

namespace Dsh.Serve.Tests;

/// <summary>
/// <c>dsh serve --runtime onnx</c> from a copy of the tool with every libtorch file removed: a ResNet18-profile model
/// (trained one epoch on a few bundled images), exported with <c>dsh export</c>, answers searches with the same ranking
/// as <c>dsh search</c> on the model file, and the process never maps libtorch.
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class ServeOnnxRuntimeTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new("dsh-serve-onnx-");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task An_exported_model_is_served_without_libtorch_with_the_model_files_ranking()
    {
        string train = _folder.Combine("train");
        foreach (string kind in new[] { "sketch", "photo" })
        {
            foreach (string category in Directory.GetDirectories(Path.Combine(TestPaths.PacsMini, "train", kind)))
            {
                foreach (string file in Directory.GetFiles(category).Order(StringComparer.Ordinal).Take(kind == "sketch" ? 3 : 2))
                {
                    string target = Path.Combine(train, kind, Path.GetFileName(category), Path.GetFileName(file));
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Copy(file, target);
                }
            }
        }
        string model = _folder.Combine("model.dshm"), onnx = _folder.Combine("onnx"), gallery = _folder.Combine("photos.dshi");
        string photos = Path.Combine(TestPaths.PacsMini, "test", "photo");
        Run("train", "--sketches", Path.Combine(train, "sketch"), "--photos", Path.Combine(train, "photo"), "--profile", "resnet18", "--bits", "32",
            "--epochs", "1", "--seed", "3", "--out", model);
        Run("export", "--model", model, "--out", onnx);
        Run("index", "build", "--model", model, "--photos", photos, "--out", gallery);

        string tool = CopyToolWithoutLibTorch(_folder.Combine("tool"));
        Assert.DoesNotContain(Directory.GetFiles(tool, "*", SearchOption.AllDirectories), f => LibTorchFile().IsMatch(Path.GetFileName(f)));

        await using ServeProcess serve = await ServeProcess.StartFromAsync(Path.Combine(tool, "Dsh.Cli.dll"), "--runtime", "onnx", "--model", onnx, "--index", gallery);
        using var client = new ServeClient(serve.BaseAddress);
        foreach (string sketch in TestPaths.Sketches.Take(3))
        {
            var served = await client.RankingAsync(File.ReadAllBytes(sketch), 10);
            string cli = Run("search", "--model", model, "--index", gallery, "--sketch", sketch, "-k", "10", "--json");
            var expected = Ranking(cli);
            Assert.Equal(10, expected.Count);
            Assert.Equal(expected, served);
        }
        IReadOnlyList<string> mapped = serve.MappedFiles();
        Assert.Contains(mapped, f => f.EndsWith("libonnxruntime.so", StringComparison.Ordinal));
        Assert.DoesNotContain(mapped, f => LibTorchFile().IsMatch(Path.GetFileName(f)));
        output.WriteLine($"{mapped.Count} files mapped; none from libtorch");
        Assert.DoesNotContain("warning", serve.Output, StringComparison.Ordinal);

        // The same tool, still without libtorch, builds a gallery and searches it on ONNX Runtime: the gallery records the
        // model file the export came from (no warning with either runtime) and ranks as the model file's gallery does.
        string onnxGallery = _folder.Combine("photos-onnx.dshi");
        RunTool(tool, "index", "build", "--runtime", "onnx", "--model", onnx, "--photos", photos, "--out", onnxGallery);
        string sketchPath = TestPaths.Sketches[0];
        string fromOnnx = RunTool(tool, "search", "--runtime", "onnx", "--model", onnx, "--index", onnxGallery, "--sketch", sketchPath, "-k", "10", "--json");
        string fromTorch = Run("search", "--model", model, "--index", gallery, "--sketch", sketchPath, "-k", "10", "--json");
        Assert.Equal(Ranking(fromTorch), Ranking(fromOnnx));
        Assert.Equal(10, Ranking(fromOnnx).Count);

        // An INT8 export of the same model, calibrated on the training images, searches the same gallery from the tool copy.
        string int8 = _folder.Combine("onnx-int8");
        string exported = Run("export", "--model", model, "--out", int8, "--int8", "--calibration-sketches", Path.Combine(train, "sketch"),
            "--calibration-photos", Path.Combine(train, "photo"), "--json");
        Assert.Matches("\"quantization\":\\s*\"int8\"", exported);
        string fromInt8 = RunTool(tool, "search", "--runtime", "onnx", "--model", int8, "--index", onnxGallery, "--sketch", sketchPath, "-k", "10", "--json");
        Assert.Equal(10, Ranking(fromInt8).Count);
    }

    private static List<(long Id, int Distance)> Ranking(string searchJson) =>
        Regex.Matches(searchJson, "\"id\":\\s*(\\d+),\\s*\"distance\":\\s*(\\d+)").Select(m => (long.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value))).ToList();

    /// <summary>Runs the tool copy in <paramref name="tool"/> as its own process; it must succeed without a warning.</summary>
    private static string RunTool(string tool, params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(tool, "Dsh.Cli.dll"));
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = System.Diagnostics.Process.Start(info)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), $"dsh {string.Join(' ', args)} did not finish");
        Assert.True(process.ExitCode == 0, $"dsh {string.Join(' ', args)} failed with {process.ExitCode}: {stderr.Result}");
        Assert.DoesNotContain("warning", stderr.Result, StringComparison.Ordinal);
        return stdout;
    }

    [Fact]
    public void A_model_file_with_runtime_onnx_and_a_folder_without_it_are_usage_errors_in_every_command()
    {
        string file = _folder.Combine("model.dshm");
        File.WriteAllText(file, "x");
        foreach (string[] args in new[]
        {
            new[] { "serve", "--runtime", "onnx", "--model", file, "--index", file },
            new[] { "serve", "--model", _folder.Path, "--index", file },
            new[] { "eval", "--runtime", "onnx", "--model", file, "--sketches", _folder.Path, "--photos", _folder.Path, "--no-report" },
            new[] { "eval", "--model", _folder.Path, "--sketches", _folder.Path, "--photos", _folder.Path, "--no-report" },
        })
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            int code = DshCli.Run(args, stdout, stderr, CancellationToken.None, interactive: false);
            Assert.Equal(ExitCodes.Usage, code);
            Assert.Contains("--runtime onnx", stderr.ToString(), StringComparison.Ordinal);
        }
    }

    /// <summary>The tool's files beside the tests, less every libtorch native (TorchSharp's managed assembly stays: it loads nothing by itself).</summary>
    private static string CopyToolWithoutLibTorch(string target)
    {
        string source = AppContext.BaseDirectory;
        foreach (string file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(source, file);
            bool otherPlatform = relative.StartsWith("runtimes", StringComparison.Ordinal) && !relative.StartsWith(Path.Combine("runtimes", "linux-x64"), StringComparison.Ordinal);
            if (otherPlatform || LibTorchFile().IsMatch(Path.GetFileName(file)))
            {
                continue;
            }
            string to = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return target;
    }

    private static string Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = DshCli.Run(args, stdout, stderr, CancellationToken.None, interactive: false);
        Assert.True(code == 0, $"dsh {string.Join(' ', args)} failed with {code}: {stderr}");
        return stdout.ToString();
    }

    /// <summary>libtorch and the natives that come with it (libc10, libgomp, libLibTorchSharp, libtorch_cpu, …).</summary>
    [GeneratedRegex(@"^lib.*(torch|Torch|c10|gomp|shm|jitbackend|nnapi|aoti|backend_with_compiler).*\.so", RegexOptions.None)]
    private static partial Regex LibTorchFile();
}
