using System.Text.RegularExpressions;
using Dsh.Tests.Support;

namespace Dsh.Tests;

[Trait("Category", "Slow")]
public sealed class ReadmeTrainingExampleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dsh-readme-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ReadmeTrainingExample_IsTheCompiledOne()
    {
        string readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        string source = File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "Dsh.Tests", "ReadmeTrainingExample.cs"));
        Assert.Equal(Normalize(Between(source, "// training-example:start", "// training-example:end")),
                     Normalize(Between(readme, "<!-- training-example:start -->", "<!-- training-example:end -->").Replace("```csharp", "").Replace("```", "")));
    }

    [Fact]
    public void ReadmeTrainingExample_RunsAndWritesModelAndCheckpoints()
    {
        (string sketchRoot, string photoRoot) = ShapeImages.WriteDataset(Path.Combine(_dir, "data"), 20, 12, seed: 5);
        var top = ReadmeTrainingExample.Run(sketchRoot, photoRoot, _dir);
        Assert.Equal(5, top.Count);
        Assert.True(File.Exists(Path.Combine(_dir, "shapes.dshm")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_dir, "checkpoints")));
    }

    private static string Between(string text, string start, string end)
    {
        int a = text.IndexOf(start, StringComparison.Ordinal);
        int b = text.IndexOf(end, StringComparison.Ordinal);
        Assert.True(a >= 0 && b > a, $"markers {start} / {end} not found");
        return text[(a + start.Length)..b];
    }

    private static string Normalize(string code) =>
        string.Join('\n', code.Split('\n').Select(l => Regex.Replace(l.Trim(), @"\s+", " ")).Where(l => l.Length > 0 && !l.StartsWith("using ", StringComparison.Ordinal)));
}
