using System.Text.RegularExpressions;

namespace Dsh.Tests.Layering;

/// <summary>
/// The names a user writes as types in README.md's <c>```csharp</c> blocks: identifiers that start with a capital
/// letter and are not a member access (<c>.Name</c>), an object-initializer assignment (<c>Name =</c>) or a named
/// argument (<c>Name:</c>); comments and string text are ignored, interpolation holes are kept.
/// </summary>
internal static partial class ReadmeTypeNames
{
    /// <summary>The <c>```csharp</c> blocks of a Markdown text, without their fences.</summary>
    public static List<string> CSharpBlocks(string markdown) =>
        CSharpBlock().Matches(markdown).Select(m => m.Groups["code"].Value).ToList();

    /// <summary>The type names of README.md's C# blocks.</summary>
    public static SortedSet<string> Read(string readmePath)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string block in CSharpBlocks(File.ReadAllText(readmePath)))
        {
            string code = StringLiteral().Replace(LineComment().Replace(block, ""), m =>
                m.Groups["interpolated"].Success ? string.Join(' ', Hole().Matches(m.Groups["text"].Value).Select(h => h.Value)) : "");
            foreach (Match name in TypeName().Matches(code))
            {
                names.Add(name.Value);
            }
        }
        return names;
    }

    [GeneratedRegex(@"^[ \t]*```csharp[ \t]*\r?\n(?<code>.*?)^[ \t]*```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"(?<interpolated>\$)?@?""(?<text>(?:[^""\\\n]|\\.)*)""")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex Hole();

    [GeneratedRegex(@"(?<![\w.])[A-Z]\w*\b(?!\s*(?:=(?!=)|:))")]
    private static partial Regex TypeName();
}
