using System.Text.RegularExpressions;

namespace Dsh.Tests.Support;

/// <summary>Compares a code block of README.md with the compiled source that claims to be it.</summary>
internal static class ReadmeBlocks
{
    /// <summary>Asserts that README's block between <c>&lt;!-- name:start/end --&gt;</c> equals the source's block between <c>// name:start/end</c>.</summary>
    public static void AssertSame(string name, string sourceFile)
    {
        string readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        string source = File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "Dsh.Tests", sourceFile));
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
