namespace Dsh.Cli;

/// <summary>The exit codes of <c>dsh</c> (also in <c>dsh --help</c> and docs/cli.md).</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>A runtime failure: I/O error, missing installation file, an unexpected error.</summary>
    public const int Failure = 1;

    /// <summary>A usage error: unknown command or option, missing or bad argument value, missing file or folder.</summary>
    public const int Usage = 2;

    /// <summary>Bad input data: empty folders, no categories, no images, unreadable images, corrupt model or index files.</summary>
    public const int BadInput = 3;

    /// <summary>Cancelled (Ctrl+C), as shells report SIGINT.</summary>
    public const int Cancelled = 130;

    /// <summary>The lines printed after <c>dsh --help</c>.</summary>
    internal const string HelpEpilog =
        "Exit codes: 0 success, 1 runtime failure (I/O, missing installation files), 2 usage error (bad or missing\n" +
        "argument, missing file or folder), 3 bad input data (empty folders, no categories or images, corrupt model or\n" +
        "index), 130 cancelled (Ctrl+C). Errors go to stderr as 'dsh: error: ...', one line each. Results go to stdout,\n" +
        "progress and logs to stderr. The manual: 'dsh help' (topics) and 'dsh help COMMAND'.";
}
