namespace Dsh.Cli;

/// <summary>The <c>dsh</c> executable: wires Ctrl+C to cancellation and runs <see cref="DshCli"/>.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // The first Ctrl+C asks the running command to stop at its next check; a second one ends the process.
            if (!cancellation.IsCancellationRequested)
            {
                e.Cancel = true;
                cancellation.Cancel();
            }
        };
        return DshCli.Run(args, Console.Out, Console.Error, cancellation.Token, interactive: null);
    }
}
