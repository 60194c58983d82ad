using System.Text.Json;
using System.Text.RegularExpressions;
using Dsh.Samples.Tests.Support;

namespace Dsh.Samples.Tests;

/// <summary>The retrieval-only sample: runs on the Dsh.Hashing package alone, finds the right category, carries no torch.</summary>
public class SearchSampleTests
{
    private const string Sample = "Dsh.Samples.Search";

    [Fact]
    public void Runs_AndFindsTheQueriedCategoryFarAboveChance()
    {
        const int categories = 50;
        var run = ChildProcess.RunDll(SampleBuild.DllOf(Sample), ["--count", "20000", "--bits", "64", "--categories", $"{categories}"],
            TimeSpan.FromMinutes(3), SampleBuild.OutputOf(Sample));

        Assert.True(run.ExitCode == 0, run.All);
        // One line per index (HammingIndex, MultiIndexHashIndex): "... | P@10 0.998 | batch == single: True".
        double[] precision = OutputParsing.Numbers(run.StandardOutput.Replace(',', '.'), @"\| P@10 ([0-9]+\.[0-9]+) \|");
        Assert.True(precision.Length == 2, run.StandardOutput);
        Assert.All(precision, p => Assert.True(p > 25.0 / categories, $"P@10 {p} is not far above chance {1.0 / categories}:\n{run.StandardOutput}"));
        Assert.Equal(2, Regex.Matches(run.StandardOutput, "batch == single: True").Count);
        Assert.Contains("same results: True", run.StandardOutput);
    }

    [Fact]
    public void Output_HasNoTorchSharpOrLibtorch_AndDshHashingComesFromThePackage()
    {
        string output = SampleBuild.OutputOf(Sample);
        SampleBuild.DllOf(Sample);

        Assert.True(File.Exists(Path.Combine(output, "Dsh.Hashing.dll")), $"no Dsh.Hashing.dll in {output}");
        string[] torch = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories)
            .Select(Path.GetFileName)
            .Where(name => name!.Contains("torch", StringComparison.OrdinalIgnoreCase) || name.StartsWith("libc10", StringComparison.Ordinal))
            .ToArray()!;
        Assert.True(torch.Length == 0, "torch files in the retrieval-only output: " + string.Join(", ", torch));

        string deps = File.ReadAllText(Path.Combine(output, Sample + ".deps.json"));
        Assert.DoesNotContain("TorchSharp", deps, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("package", DepsJson.LibraryType(deps, "Dsh.Hashing"));
        Assert.Null(DepsJson.LibraryType(deps, "Dsh"));
    }
}

/// <summary>Reads an application's .deps.json.</summary>
internal static class DepsJson
{
    /// <summary>The "type" (package or project) of library <paramref name="id"/> in the deps file, or null when absent.</summary>
    public static string? LibraryType(string depsJson, string id)
    {
        using JsonDocument doc = JsonDocument.Parse(depsJson);
        foreach (JsonProperty library in doc.RootElement.GetProperty("libraries").EnumerateObject())
        {
            if (library.Name.StartsWith(id + "/", StringComparison.OrdinalIgnoreCase))
            {
                return library.Value.GetProperty("type").GetString();
            }
        }
        return null;
    }
}
