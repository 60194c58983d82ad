using System.Globalization;
using System.Text.RegularExpressions;

namespace Dsh.Samples.Tests.Support;

/// <summary>Reads numbers out of the samples' printed lines.</summary>
internal static class OutputParsing
{
    /// <summary>Every match of <paramref name="pattern"/>'s first group in <paramref name="text"/>, as doubles (invariant culture).</summary>
    public static double[] Numbers(string text, string pattern) =>
        Regex.Matches(text, pattern, RegexOptions.Multiline)
             .Select(m => double.Parse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture))
             .ToArray();

    /// <summary>The single match of <paramref name="pattern"/>'s first group; fails unless there is exactly one.</summary>
    public static double Number(string text, string pattern)
    {
        double[] all = Numbers(text, pattern);
        Assert.True(all.Length == 1, $"expected one match of /{pattern}/ in:\n{text}");
        return all[0];
    }

    /// <summary>The single match of <paramref name="pattern"/>'s first group, as text; fails unless there is exactly one.</summary>
    public static string Text(string text, string pattern)
    {
        MatchCollection all = Regex.Matches(text, pattern, RegexOptions.Multiline);
        Assert.True(all.Count == 1, $"expected one match of /{pattern}/ in:\n{text}");
        return all[0].Groups[1].Value;
    }
}
