using System.Text.RegularExpressions;
using Dsh.Hashing;
using Dsh.Tests.Support;

namespace Dsh.Tests;

public class ReadmeModelExampleTests
{
    [Fact]
    public void ReadmeModelExample_IsTheCompiledOne()
    {
        string readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        string source = File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "Dsh.Tests", "ReadmeModelExample.cs"));

        string inReadme = Between(readme, "<!-- model-example:start -->", "<!-- model-example:end -->").Replace("```csharp", "").Replace("```", "");
        string compiled = Between(source, "// model-example:start", "// model-example:end");

        Assert.Equal(Normalize(compiled), Normalize(inReadme));
    }

    [Fact]
    public void ReadmeModelExample_Runs()
    {
        (IReadOnlyList<Neighbor> top, DshLossTerms terms, float loss) = ReadmeModelExample.Run();
        Assert.Equal(2, top.Count);
        Assert.All(top, n => Assert.InRange(n.Id, 10, 13));
        Assert.True(terms.Total > 0 && double.IsFinite(terms.Total));
        Assert.True(loss > 0 && float.IsFinite(loss));
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
