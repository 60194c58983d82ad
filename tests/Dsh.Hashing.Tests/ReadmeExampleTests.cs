using System.Text.RegularExpressions;
using Dsh.Hashing.Tests.TestUtilities;

namespace Dsh.Hashing.Tests;

public class ReadmeExampleTests
{
    [Fact]
    public void ReadmeExample_IsTheCompiledOne()
    {
        string readme = File.ReadAllText(RepositoryPaths.Combine("README.md"));
        string source = File.ReadAllText(RepositoryPaths.Combine("tests", "Dsh.Hashing.Tests", "ReadmeExample.cs"));

        string inReadme = Between(readme, "<!-- example:start -->", "<!-- example:end -->").Replace("```csharp", "").Replace("```", "");
        string compiled = Between(source, "// example:start", "// example:end");

        Assert.Equal(Normalize(compiled), Normalize(inReadme));
    }

    [Fact]
    public void ReadmeExample_Runs_AndTheLoadedIndexAnswersTheSame()
    {
        (IReadOnlyList<Neighbor> top, IReadOnlyList<Neighbor> afterLoad) = ReadmeExample.Run();
        Assert.Equal(5, top.Count);
        Assert.Equal(top, afterLoad);
        Assert.Equal(top.Order(), top);
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
