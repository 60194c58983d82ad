using Spectre.Console;

namespace Dsh.Cli;

/// <summary>Where a command writes, whether it may draw live progress, and its cancellation token.</summary>
internal sealed class CliContext
{
    /// <summary>Creates a context.</summary>
    /// <param name="stdout">Results (tables, JSON).</param>
    /// <param name="stderr">Errors, progress and logs (always).</param>
    /// <param name="cancellationToken">Cancels the running command.</param>
    /// <param name="interactive">Live progress bars and colours; null: only when the writers are the real console and it is not redirected.</param>
    public CliContext(TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken, bool? interactive)
    {
        Out = stdout;
        Err = stderr;
        CancellationToken = cancellationToken;
        InteractiveOut = interactive ?? (ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected);
        InteractiveErr = interactive ?? (ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected);
    }

    /// <summary>Results go here.</summary>
    public TextWriter Out { get; }

    /// <summary>Errors go here.</summary>
    public TextWriter Err { get; }

    /// <summary>Cancels the running command (Ctrl+C).</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Whether stdout is a terminal (live progress, colours).</summary>
    public bool InteractiveOut { get; }

    /// <summary>Whether stderr is a terminal.</summary>
    public bool InteractiveErr { get; }


    /// <summary>A Spectre console over <paramref name="writer"/>; without ANSI codes or colour unless <paramref name="interactive"/>.</summary>
    public static IAnsiConsole ConsoleFor(TextWriter writer, bool interactive)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!interactive)
        {
            console.Profile.Width = 160;
        }
        return console;
    }

    /// <summary>A Spectre console for results on stdout.</summary>
    public IAnsiConsole ResultConsole() => ConsoleFor(Out, InteractiveOut);
}
