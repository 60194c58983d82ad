namespace Dsh.Cli.Tests.Support;

/// <summary>Runs dsh in-process with captured (redirected) output.</summary>
public static class DshRun
{
    /// <summary>Runs <paramref name="args"/>.</summary>
    public static CliResult Run(params string[] args) => Run(CancellationToken.None, args);

    /// <summary>Runs <paramref name="args"/> with a cancellation token.</summary>
    public static CliResult Run(CancellationToken cancellationToken, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = DshCli.Run(args, stdout, stderr, cancellationToken);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}
