using System.CommandLine;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Dsh.Cli.Commands;

/// <summary>
/// <c>dsh help [TOPIC]</c>: the tool's manual (docs/cli.md, built into the tool), one section per command or topic, so
/// the documentation travels with an installed tool. Its links to the other pages of docs/ (which do not ship with the
/// tool) are written as addresses of the project's repository.
/// </summary>
internal static partial class HelpCommand
{
    private const string ManualResource = "Dsh.Cli.Manual.cli.md";

    public static Command Create(CliContext context)
    {
        var topic = new Argument<string?>("TOPIC") { Description = "A command (train, search, serve, …) or a topic (exit-codes, files, …); none lists them.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("help", "Show the manual: a command's full description, or a topic such as exit-codes.") { topic };
        command.SetAction(parse =>
        {
            IReadOnlyList<(string Key, string Title, string Text)> sections = Sections();
            string? wanted = parse.GetValue(topic)?.Trim().ToLowerInvariant();
            if (string.IsNullOrEmpty(wanted))
            {
                context.Out.WriteLine(sections[0].Text.TrimEnd());
                context.Out.WriteLine();
                context.Out.WriteLine("Topics: " + string.Join(", ", sections.Skip(1).Select(s => s.Key)) + ". 'dsh help TOPIC' shows one.");
                return ExitCodes.Success;
            }
            var match = sections.Skip(1).FirstOrDefault(s => s.Key == wanted);
            if (match.Text is null)
            {
                string near = string.Join(" or ", sections.Skip(1).Select(s => s.Key)
                    .Where(k => Typos.Distance(wanted, k) <= Math.Max(1, k.Length / 3)).Select(k => $"'{k}'"));
                throw new UsageException($"no help topic '{wanted}'{(near.Length > 0 ? $"; did you mean {near}?" : "")}; topics: {string.Join(", ", sections.Skip(1).Select(s => s.Key))}");
            }
            context.Out.WriteLine(match.Text.TrimEnd());
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The manual cut at its "## " headings: the introduction first (key ""), then one section per heading.</summary>
    internal static IReadOnlyList<(string Key, string Title, string Text)> Sections()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ManualResource)
            ?? throw new InvalidOperationException($"The manual ({ManualResource}) is missing from the tool.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var sections = new List<(string, string, string)>();
        string repository = RepositoryUrl();
        string key = "", title = "";
        var text = new StringBuilder();
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                sections.Add((key, title, text.ToString()));
                title = line[3..].Trim();
                key = KeyOf(title);
                text.Clear();
            }
            text.AppendLine(DocsLinks(line, repository));
        }
        sections.Add((key, title, text.ToString()));
        return sections;
    }

    /// <summary>
    /// A line of the manual with each link to another docs page (<c>](results.md#x)</c>, <c>](images/a.png)</c>) made an
    /// address in <paramref name="repository"/>'s docs folder; links within the manual (<c>](#dsh-train)</c>) and
    /// absolute ones stay.
    /// </summary>
    private static string DocsLinks(string line, string repository) =>
        RelativeLink().Replace(line, m => m.Groups["target"].Value is var target && target.StartsWith("../", StringComparison.Ordinal)
            ? $"]({repository}/blob/main/{target[3..]})"
            : $"]({repository}/blob/main/docs/{target})");

    private static string RepositoryUrl() =>
        Assembly.GetExecutingAssembly().GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryUrl")?.Value?.TrimEnd('/') is { Length: > 0 } url
            ? url
            : throw new InvalidOperationException("The tool was built without its RepositoryUrl.");

    [GeneratedRegex(@"\]\((?<target>(?![a-z][a-z0-9+.-]*:)(?!#)(?!/)[^)\s]+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex RelativeLink();

    /// <summary>"`dsh index build | add | info | upgrade`" → "index"; "Exit codes" → "exit-codes".</summary>
    private static string KeyOf(string title)
    {
        string plain = title.Trim('`');
        if (plain.StartsWith("dsh ", StringComparison.Ordinal))
        {
            return plain[4..].Split(' ')[0].ToLowerInvariant();
        }
        return string.Join('-', plain.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
