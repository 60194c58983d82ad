using Dsh.Native;
using Dsh.Tests.Support;

namespace Dsh.Tests.Native;

/// <summary>
/// The oneDNN ISA cap: the rule, and the failure it prevents — on an AMD processor with AVX-512 the first backward
/// pass of a convolution in a process intermittently gave non-finite gradients (one fresh process in four to three in four, depending on the threads).
/// </summary>
public class OneDnnIsaGuardTests
{
    private static string CheckDll => Path.Combine(ChildProcess.SiblingOutput("Dsh.TorchCheck"), "Dsh.TorchCheck.dll");

    [Theory]
    [InlineData(true, true, true, null, null, true)]
    [InlineData(true, true, true, "", null, true)]
    [InlineData(true, false, true, null, null, false)]   // Intel: not affected, keeps oneDNN's default
    [InlineData(true, true, false, null, null, false)]   // no AVX-512: nothing to cap
    [InlineData(false, true, true, null, null, false)]   // not Linux
    [InlineData(true, true, true, "AVX512_CORE", null, false)] // the user's choice wins
    [InlineData(true, true, true, null, "default", false)]     // opt-out
    [InlineData(true, true, true, null, "DEFAULT", false)]
    [InlineData(true, true, true, null, "avx2", true)]         // unknown opt-out values do not disable it
    public void Rule(bool linux, bool amd, bool avx512, string? userIsa, string? optOut, bool expected) =>
        Assert.Equal(expected, OneDnnIsaGuard.ShouldCap(linux, amd, avx512, userIsa, optOut));

    [Fact]
    public async Task FirstBackwardInFreshProcesses_GivesFiniteGradients()
    {
        Assert.True(File.Exists(CheckDll), $"{CheckDll} was not built");
        var clean = new Dictionary<string, string> { ["DNNL_MAX_CPU_ISA"] = "", ["ONEDNN_MAX_CPU_ISA"] = "", ["DSH_ONEDNN_ISA"] = "" };
        for (int run = 0; run < 8; run++)
        {
            var result = await ChildProcess.RunAsync(ChildProcess.DotnetHost, new[] { CheckDll, "first-backward" },
                TimeSpan.FromSeconds(120), environment: clean);
            Assert.True(result.ExitCode == 0, $"run {run}: {result.All}");
            Assert.StartsWith("first-backward-ok", result.StandardOutput);
        }
    }
}
