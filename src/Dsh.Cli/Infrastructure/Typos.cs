using System.CommandLine;
using System.CommandLine.Parsing;

namespace Dsh.Cli;

/// <summary>"did you mean …?" for an unknown word: the command's subcommands and options within a small edit distance.</summary>
internal static class Typos
{
    /// <summary>"; did you mean 'x'?" for an unrecognised token close to a name the command knows, else "".</summary>
    public static string Suggestion(ParseError error, ParseResult parsed)
    {
        string? token = parsed.UnmatchedTokens.FirstOrDefault(t => error.Message.Contains($"'{t}'", StringComparison.Ordinal));
        if (token is null)
        {
            return "";
        }
        Command command = parsed.CommandResult.Command;
        IEnumerable<string> names = token.StartsWith('-')
            ? command.Options.Concat(command.Parents.OfType<Command>().SelectMany(p => p.Options.Where(o => o.Recursive)))
                .SelectMany(o => o.Aliases.Prepend(o.Name))
            : command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name);
        var best = names.Distinct(StringComparer.Ordinal)
            .Select(n => (Name: n, Distance: Distance(token.ToLowerInvariant(), n.ToLowerInvariant())))
            .Where(c => c.Distance <= Math.Max(1, c.Name.Length / 3))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(2).Select(c => $"'{c.Name}'").ToList();
        return best.Count == 0 ? "" : $"; did you mean {string.Join(" or ", best)}?";
    }

    /// <summary>Optimal string alignment distance (Levenshtein plus adjacent swaps), for names of a few characters.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
