using System.Diagnostics;

namespace Dsh.Hashing.Tests.Kernels;

/// <summary>
/// Reruns both indexes in a child process with instruction sets switched off through the runtime's
/// knobs, as on a CPU without AVX-512 or without AVX2: the kernel choice must follow, and every answer
/// must still equal brute force (tests/Dsh.Hashing.IsaCheck).
/// </summary>
public class IsaFallbackTests
{
    [Theory]
    [InlineData("DOTNET_EnableAVX512", "Avx2")]
    [InlineData("DOTNET_EnableAVX2", "Scalar")]
    [InlineData("DOTNET_EnableHWIntrinsic", "Scalar")]
    public async Task WithoutTheInstructionSet_IndexesFallBackAndStayExact(string knob, string kernelAt64Bits)
    {
        string dll = Path.Combine(AppContext.BaseDirectory.Replace("Dsh.Hashing.Tests", "Dsh.Hashing.IsaCheck", StringComparison.Ordinal), "Dsh.Hashing.IsaCheck.dll");
        Assert.True(File.Exists(dll), $"{dll} was not built");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.Environment[knob] = "0";

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the ISA check did not finish in 120 s");
        }
        string output = await stdout + await stderr;

        Assert.True(process.ExitCode == 0, output);
        Assert.Contains("avx512bw=False", output);
        Assert.Contains($"bits=64 kernel={kernelAt64Bits}", output);
        Assert.EndsWith("ok", output.TrimEnd());
    }
}
