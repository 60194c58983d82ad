namespace Dsh.Cli.Tests.Support;

/// <summary>What one run of dsh produced.</summary>
public sealed record CliResult(int ExitCode, string Out, string Err)
{
    /// <summary>The non-empty lines of stderr.</summary>
    public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Asserts a failure with <paramref name="exitCode"/> and exactly one 'dsh: error:' line on stderr, no stack frame.</summary>
    public CliResult AssertOneError(int exitCode, string? contains = null)
    {
        Assert.True(ExitCode == exitCode, $"exit code {ExitCode}, expected {exitCode}; stderr: {Err}; stdout: {Out}");
        string[] lines = ErrLines;
        Assert.True(lines.Length == 1, $"expected one stderr line, got {lines.Length}: {Err}");
        Assert.StartsWith("dsh: error: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", Err, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", Err, StringComparison.Ordinal);
        if (contains is not null)
        {
            Assert.Contains(contains, lines[0], StringComparison.OrdinalIgnoreCase);
        }
        return this;
    }

    /// <summary>Asserts success, naming stderr when it is not.</summary>
    public CliResult AssertSuccess()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}; stderr: {Err}; stdout: {Out}");
        return this;
    }

    /// <summary>Asserts no ANSI escape (ESC) anywhere in the output.</summary>
    public CliResult AssertNoAnsi()
    {
        Assert.DoesNotContain('\u001b', Out);
        Assert.DoesNotContain('\u001b', Err);
        return this;
    }
}
