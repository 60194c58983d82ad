using Spectre.Console;

namespace Dsh.Cli.Progress;

/// <summary>Runs work with live progress bars on stderr when it is a terminal, else with plain lines there.</summary>
internal static class ProgressSurface
{
    /// <summary>Runs <paramref name="work"/>, giving it the sink that fits <paramref name="context"/>.</summary>
    /// <param name="context">The command's context.</param>
    /// <param name="work">The work.</param>
    public static T Run<T>(CliContext context, Func<IProgressSink, T> work)
    {
        // Progress is never a result: it goes to stderr, so 'dsh … > file' captures only results (as git, dotnet and curl do).
        TextWriter writer = context.Err;
        if (!context.InteractiveErr)
        {
            return work(new PlainProgressSink(writer));
        }
        IAnsiConsole console = CliContext.ConsoleFor(writer, interactive: true);
        return console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx => work(new LiveProgressSink(ctx, console)));
    }
}
