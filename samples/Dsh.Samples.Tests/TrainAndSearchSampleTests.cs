using System.Text.Json;
using Dsh.Samples.Tests.Support;

namespace Dsh.Samples.Tests;

/// <summary>
/// One run of the train-and-search sample (2 epochs, 32 bits, batch 8) that also saves its model and its gallery of the
/// test photos, shared by the tests that read its output and by the web API sample's test, which serves those files.
/// </summary>
public sealed class TrainAndSearchRun : IDisposable
{
    public const string Sample = "Dsh.Samples.TrainAndSearch";

    /// <summary>The xunit collection of the tests that share this run.</summary>
    public const string Collection = "train-and-search run";

    private readonly string _folder = Directory.CreateTempSubdirectory("dsh-samples-").FullName;

    public TrainAndSearchRun()
    {
        ModelPath = Path.Combine(_folder, "model.dshm");
        GalleryPath = Path.Combine(_folder, "gallery.dshi");
        // From its output folder, so the sample finds samples/data/pacs-mini by walking up from the current directory.
        Result = ChildProcess.RunDll(SampleBuild.DllOf(Sample),
            ["--epochs", "2", "--bits", "32", "--batch", "8", "--save-model", ModelPath, "--save-gallery", GalleryPath],
            TimeSpan.FromMinutes(15), SampleBuild.OutputOf(Sample));
    }

    internal ChildProcess.Result Result { get; }

    /// <summary>The trained model (--save-model).</summary>
    public string ModelPath { get; }

    /// <summary>The test photos' codes as a gallery (--save-gallery).</summary>
    public string GalleryPath { get; }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

/// <summary>The tests that share one <see cref="TrainAndSearchRun"/>.</summary>
[CollectionDefinition(TrainAndSearchRun.Collection)]
public sealed class TrainAndSearchCollection : ICollectionFixture<TrainAndSearchRun>;

/// <summary>
/// The train-and-search sample: trains on the bundled real data through the Dsh package and beats chance; its output
/// carries libLibTorchSharp.so patched by the package's buildTransitive target exactly when this machine needs it.
/// </summary>
[Trait("Category", "Slow")]
[Collection(TrainAndSearchRun.Collection)]
public class TrainAndSearchSampleTests(TrainAndSearchRun run)
{
    [Fact]
    public void Trains_AndRetrievesAboveChance()
    {
        var result = run.Result;
        Assert.True(result.ExitCode == 0, result.All);
        string output = result.StandardOutput;

        Assert.Equal(2, OutputParsing.Numbers(output, @"^epoch [12]/2: loss ([0-9.]+)").Length);
        double map = OutputParsing.Number(output, @"^mAP@all ([0-9.]+) ");
        double chance = OutputParsing.Number(output, @"^mAP@all [0-9.]+ \(chance ([0-9.]+)\)");
        // Tie-aware: the mean over random orders of photos at equal distance, so collapsed codes (every photo at the
        // same distance, ranked by id) score chance here, whatever the id order flatters.
        double tieAware = OutputParsing.Number(output, @"tie-aware mAP@all ([0-9.]+),");
        Assert.InRange(chance, 0.13, 0.16); // 7 balanced categories: about 1/7
        Assert.True(tieAware > chance + 0.03, $"tie-aware mAP@all {tieAware} is not above chance {chance}:\n{output}");
        Assert.True(map > chance, $"mAP@all {map} is not above chance {chance}:\n{output}");
        Assert.InRange(OutputParsing.Number(output, @"P@10 ([0-9.]+),"), 0.0, 1.0);
        Assert.Equal(3, OutputParsing.Numbers(output, @"^query .*: ([0-5])/5 right -> ").Length);
    }

    [Fact]
    public void SavesTheModelAndTheGallery()
    {
        Assert.True(run.Result.ExitCode == 0, run.Result.All);
        Assert.Contains($"saved the model to {run.ModelPath}", run.Result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"saved the gallery to {run.GalleryPath}: 70 photos, 32 bits", run.Result.StandardOutput, StringComparison.Ordinal);
        Assert.True(new FileInfo(run.ModelPath).Length > 0);
        Assert.True(new FileInfo(run.GalleryPath).Length > 0);
    }

    [Fact]
    public void Output_LoadsTheNativeLibraryPatchedByTheDshPackage()
    {
        Assert.True(run.Result.ExitCode == 0, run.Result.All); // it trained, so libtorch loaded
        string output = SampleBuild.OutputOf(TrainAndSearchRun.Sample);
        string deps = File.ReadAllText(Path.Combine(output, TrainAndSearchRun.Sample + ".deps.json"));
        Assert.Equal("package", DepsJson.LibraryType(deps, "Dsh"));
        Assert.Equal("package", DepsJson.LibraryType(deps, "Dsh.Hashing"));
        Assert.Equal("package", DepsJson.LibraryType(deps, "TorchSharp-cpu"));
        if (!OperatingSystem.IsLinux())
        {
            return; // the fix is Linux-only
        }
        Assert.True(File.Exists(ShippedLibTorchSharp()), $"the shipped libLibTorchSharp.so was not found at {ShippedLibTorchSharp()}");

        byte[] shipped = File.ReadAllBytes(ShippedLibTorchSharp());
        byte[] copy = File.ReadAllBytes(Path.Combine(output, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"));
        Assert.Equal(shipped.Length, copy.Length);
        int changed = shipped.Zip(copy).Count(p => p.First != p.Second);
        // The package patches every Linux output (its default), whatever this machine's libstdc++ has:
        // vna_flags of one version need, VER_FLG_WEAK set.
        Assert.InRange(changed, 1, 2);
    }

    [Fact]
    public void BadArgument_PrintsOneLineAndExits2()
    {
        var result = ChildProcess.RunDll(SampleBuild.DllOf(TrainAndSearchRun.Sample), ["--bits", "many"], TimeSpan.FromMinutes(1),
            SampleBuild.OutputOf(TrainAndSearchRun.Sample));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: --bits needs a positive whole number, not 'many'.", result.StandardError.Trim());
        Assert.DoesNotContain("mAP", result.StandardOutput);
    }

    /// <summary>The libLibTorchSharp.so in the restored TorchSharp package (what the build copied), from the sample's assets file.</summary>
    private static string ShippedLibTorchSharp()
    {
        using JsonDocument assets = JsonDocument.Parse(File.ReadAllText(SampleBuild.AssetsFileOf(TrainAndSearchRun.Sample)));
        string packages = assets.RootElement.GetProperty("packageFolders").EnumerateObject().First().Name;
        JsonProperty torchSharp = assets.RootElement.GetProperty("libraries").EnumerateObject()
            .First(l => l.Name.StartsWith("TorchSharp/", StringComparison.Ordinal));
        string folder = torchSharp.Value.GetProperty("path").GetString()!;
        return Path.Combine(packages, folder, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
    }
}
