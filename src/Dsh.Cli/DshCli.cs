using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine;
using System.CommandLine.Parsing;
using Dsh.Cli.Commands;
using Dsh.Data;

namespace Dsh.Cli;

/// <summary>
/// The <c>dsh</c> command line: parses the arguments, runs the command and maps every failure to one stderr line
/// (<c>dsh: error: …</c>) and an exit code (<see cref="ExitCodes"/>). Callable in-process (tests) as well as from
/// <c>Main</c>.
/// </summary>
public static class DshCli
{
    /// <summary>Runs <c>dsh</c> with <paramref name="args"/>; live progress only when the writers are the real, unredirected console.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="stdout">Results: tables, JSON.</param>
    /// <param name="stderr">Errors, progress and logs (always).</param>
    /// <param name="cancellationToken">Cancels the command (Ctrl+C): exit code 130.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken) =>
        Run(args, stdout, stderr, cancellationToken, interactive: null);

    /// <summary>Runs <c>dsh</c>, choosing whether progress is drawn live (<paramref name="interactive"/> null: detect).</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="stdout">Results: tables, JSON.</param>
    /// <param name="stderr">Errors, progress and logs (always).</param>
    /// <param name="cancellationToken">Cancels the command (Ctrl+C): exit code 130.</param>
    /// <param name="interactive">Live progress bars and colours; null: only on the real console when it is not redirected.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken, bool? interactive)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var context = new CliContext(stdout, stderr, cancellationToken, interactive);
        Command root = BuildRoot(context);
        if (args.Length > 0 && args[0].StartsWith("[suggest", StringComparison.Ordinal))
        {
            return Completions.Write(root, args, stdout);
        }
        if (args.Length == 0)
        {
            // A bare 'dsh' shows the usage, as git and dotnet do.
            args = ["--help"];
        }
        ParseResult parsed = root.Parse(args);
        bool helpOrVersion = parsed.Action is { ClearsParseErrors: true };
        if (parsed.Errors.Count > 0 && !helpOrVersion)
        {
            // Every error on its own line, unknown words first (they explain a 'missing' error better than it does itself),
            // with the nearest command or option name when one is close.
            string command = string.Join(' ', CommandPath(parsed.CommandResult.Command));
            var errors = parsed.Errors.OrderBy(e => e.Message.Contains("Unrecognized", StringComparison.Ordinal) ? 0 : 1).ToList();
            if (errors.Count > 1 && errors[0].Message.Contains("Unrecognized", StringComparison.Ordinal))
            {
                // 'dsh serch': the unknown word is the mistake; "Required command was not provided" only repeats it.
                errors.RemoveAll(e => e.Message.StartsWith("Required command", StringComparison.Ordinal));
            }
            for (int i = 0; i < errors.Count; i++)
            {
                string hint = i == errors.Count - 1 ? $"; see '{command} --help'" : "";
                stderr.WriteLine("dsh: error: " + Format.OneLine(errors[i].Message.TrimEnd('.') + Typos.Suggestion(errors[i], parsed) + hint));
            }
            stderr.Flush();
            return ExitCodes.Usage;
        }
        try
        {
            int code = parsed.Invoke(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
            stdout.Flush();
            return code;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Exception inner = Unwrap(e);
            return inner switch
            {
                OperationCanceledException when cancellationToken.IsCancellationRequested => Fail(stderr, ExitCodes.Cancelled, "cancelled", prefix: "dsh: "),
                UsageException => Fail(stderr, ExitCodes.Usage, inner.Message, e),
                InputDataException or InvalidDataException or SbirDatasetException or SixLabors.ImageSharp.ImageFormatException =>
                    Fail(stderr, ExitCodes.BadInput, inner.Message, e),
                IOException or UnauthorizedAccessException => Fail(stderr, ExitCodes.Failure, inner.Message, e),
                _ => Fail(stderr, ExitCodes.Failure, $"{inner.GetType().Name}: {inner.Message}", e),
            };
        }
    }

    /// <summary>The single cause of an <see cref="AggregateException"/> (parallel loops wrap what they catch).</summary>
    private static Exception Unwrap(Exception e)
    {
        while (e is AggregateException aggregate && aggregate.InnerExceptions.Count >= 1)
        {
            e = aggregate.InnerExceptions[0];
        }
        return e;
    }

    /// <summary>The command tree.</summary>
    internal static Command BuildRoot(CliContext context)
    {
        // A plain command named "dsh" (a RootCommand takes the name of the running assembly, Dsh.Cli).
        var root = new Command("dsh", "dsh: Deep Sketch Hashing for .NET. Train sketch/photo hashing models, encode, index, search and evaluate; 'dsh demo' runs the whole loop on bundled real data.")
        {
            new HelpOption { Recursive = true },
            new VersionOption(),
        };
        root.Subcommands.Add(TrainCommand.Create(context));
        root.Subcommands.Add(EncodeCommand.Create(context));
        root.Subcommands.Add(IndexCommand.Create(context));
        root.Subcommands.Add(SearchCommand.Create(context));
        root.Subcommands.Add(EvalCommand.Create(context));
        root.Subcommands.Add(TokensCommand.Create(context));
        root.Subcommands.Add(ExportCommand.Create(context));
        root.Subcommands.Add(DemoCommand.Create(context));
        root.Subcommands.Add(Serve.ServeCommand.Create(context));
        root.Subcommands.Add(HelpCommand.Create(context));
        foreach (Option option in root.Options)
        {
            if (option is HelpOption help && help.Action is HelpAction standard)
            {
                help.Action = new HelpWithEpilog(standard);
            }
        }
        return root;
    }

    private static IEnumerable<string> CommandPath(Command command)
    {
        var names = new List<string>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Insert(0, c.Name);
        }
        return names;
    }

    private static int Fail(TextWriter stderr, int code, string message, Exception? exception = null, string prefix = "dsh: error: ")
    {
        stderr.WriteLine(prefix + Format.OneLine(message));
        if (exception is not null && Environment.GetEnvironmentVariable("DSH_DEBUG") == "1")
        {
            stderr.WriteLine(exception.ToString());
        }
        stderr.Flush();
        return code;
    }

    /// <summary>The standard help, then the exit codes.</summary>
    private sealed class HelpWithEpilog(HelpAction standard) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            int code = standard.Invoke(parseResult);
            TextWriter output = parseResult.InvocationConfiguration.Output;
            output.WriteLine(ExitCodes.HelpEpilog);
            output.WriteLine();
            return code;
        }
    }
}
