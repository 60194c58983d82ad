using System.CommandLine;
using System.Reflection;
using System.Text;

namespace Dsh.Cli.Commands;

/// <summary>
/// <c>dsh help [TOPIC]</c>: the tool's manual (docs/cli.md, built into the tool), one section per command or topic, so
/// the documentation travels with an installed tool.
/// </summary>
internal static class HelpCommand
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
            text.AppendLine(line);
        }
        sections.Add((key, title, text.ToString()));
        return sections;
    }

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
