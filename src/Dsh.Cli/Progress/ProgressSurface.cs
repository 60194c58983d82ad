using Spectre.Console;

namespace Dsh.Cli.Progress;

/// <summary>Runs work with live progress bars when the status writer is a terminal, else with plain lines.</summary>
internal static class ProgressSurface
{
    /// <summary>Runs <paramref name="work"/>, giving it the sink that fits <paramref name="context"/>.</summary>
    /// <param name="context">The command's context.</param>
    /// <param name="json">Whether stdout holds JSON (progress then goes to stderr).</param>
    /// <param name="work">The work.</param>
    public static T Run<T>(CliContext context, bool json, Func<IProgressSink, T> work)
    {
        TextWriter writer = context.StatusWriter(json);
        if (!context.StatusInteractive(json))
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
