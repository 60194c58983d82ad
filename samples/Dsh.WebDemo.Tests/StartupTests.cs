namespace Dsh.WebDemo.Tests;

/// <summary>Command-line errors end the demo at once with one line and exit code 2; it never listens off the loopback.</summary>
[Trait("Category", "Slow")]
public sealed class StartupTests
{
    [Theory]
    [InlineData("--urls", "http://0.0.0.0:5081", "127.0.0.1")]
    [InlineData("--urls", "https://127.0.0.1:5081", "http://")]
    [InlineData("--model", "/nonexistent/model.dshm", "no such file")]
    [InlineData("--model", "PNG_FILE", "not a readable Dsh model")]
    [InlineData("--profile", "alexnet", "not resnet18 or compact")]
    [InlineData("--photos", "/nonexistent/photos", "no such folder")]
    [InlineData("--epochs", "zero", "whole number")]
    public async Task Bad_options_exit_2_with_one_line(string option, string value, string expected)
    {
        if (value == "PNG_FILE")
        {
            value = Directory.GetFiles(Path.Combine(TestPaths.PacsMini, "test", "sketch", "dog"))[0];
        }
        await using var demo = DemoProcess.Start(option, value);
        int code = await demo.WaitForExitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(2, code);
        string[] lines = demo.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("dsh-webdemo: ", lines[0]);
        Assert.Contains(expected, lines[0]);
    }
}
