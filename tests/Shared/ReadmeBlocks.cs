using System.Text.RegularExpressions;
using Xunit;

namespace Dsh.Tests.Shared;

/// <summary>Compares a code block of README.md with the compiled source that claims to be it.</summary>
internal static class ReadmeBlocks
{
    /// <summary>
    /// Asserts that README.md's block between <c>&lt;!-- name:start --&gt;</c> and <c>&lt;!-- name:end --&gt;</c> equals the
    /// source's block between <c>// name:start</c> and <c>// name:end</c>, line for line, ignoring indentation, runs of
    /// white space, blank lines, <c>using</c> lines and the code fence.
    /// </summary>
    /// <param name="repositoryRoot">The folder of Dsh.sln and README.md.</param>
    /// <param name="name">The block's marker name.</param>
    /// <param name="sourceFile">The compiled source, relative to <paramref name="repositoryRoot"/>.</param>
    public static void AssertSame(string repositoryRoot, string name, string sourceFile)
    {
        string readme = File.ReadAllText(Path.Combine(repositoryRoot, "README.md"));
        string source = File.ReadAllText(Path.Combine(repositoryRoot, sourceFile));
        string inReadme = Between(readme, $"<!-- {name}:start -->", $"<!-- {name}:end -->").Replace("```csharp", "").Replace("```", "");
        Assert.Equal(Normalize(Between(source, $"// {name}:start", $"// {name}:end")), Normalize(inReadme));
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
