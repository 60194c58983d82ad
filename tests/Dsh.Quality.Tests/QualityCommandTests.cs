namespace Dsh.Quality.Tests;

/// <summary>A bad argument to a Dsh.Quality command is one line on standard error and exit code 2, before any data is read.</summary>
public class QualityCommandTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("dsh-quality-args-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static (int Code, string Error) Run(params string[] args)
    {
        var error = new StringWriter();
        int code = QualityCommand.Run(args, error);
        return (code, error.ToString());
    }

    private static string OneLine(string error)
    {
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return Assert.Single(lines);
    }

    [Theory]
    [InlineData]
    [InlineData("nosuch")]
    public void UnknownCommand_PrintsUsage(params string[] args)
    {
        var (code, error) = Run(args);

        Assert.Equal(2, code);
        Assert.StartsWith("usage: Dsh.Quality", OneLine(error));
    }

    [Fact]
    public void DshPacs_BitsNotANumber_OneLine()
    {
        var (code, error) = Run("dsh-pacs", "sixty-four", "2", "compact", $"out={_temp}");

        Assert.Equal(2, code);
        Assert.Contains("sixty-four", OneLine(error));
        Assert.StartsWith("Dsh.Quality dsh-pacs:", error);
    }

    [Fact]
    public void DshPacs_UnknownProfile_OneLineNamingIt()
    {
        var (code, error) = Run("dsh-pacs", "64", "2", "alexnet", $"out={_temp}");

        Assert.Equal(2, code);
        Assert.Contains("alexnet", OneLine(error));
    }

    [Fact]
    public void DshPacs_MissingDataFolder_OneLineNamingIt()
    {
        string missing = Path.Combine(_temp, "no-pacs");

        var (code, error) = Run("dsh-pacs", "64", "2", "compact", $"pacs={missing}", $"out={_temp}");

        Assert.Equal(2, code);
        Assert.Contains("no-pacs", OneLine(error));
    }

    [Theory]
    [InlineData("64", "2", "alexnet", "alexnet")]
    [InlineData("64x", "2", "compact", "64x")]
    [InlineData("5000", "2", "compact", "5000")]
    public void QuickDrawDsh_BadSettings_FailBeforeReadingData(string bits, string epochs, string profile, string named)
    {
        // The drawings folder does not exist either: the settings must be rejected first.
        var (code, error) = Run("quickdraw-cifar", "dsh", bits, epochs, profile, $"quickdraw={Path.Combine(_temp, "none")}", $"out={_temp}");

        Assert.Equal(2, code);
        Assert.Contains(named, OneLine(error));
    }
}
