namespace Dsh.Tests.Support;

/// <summary>Where the restored TorchSharp package lives (the shipped, unpatched native library).</summary>
internal static class NuGetPaths
{
    public static string PackagesRoot =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The libLibTorchSharp.so shipped in the TorchSharp package (never modified).</summary>
    public static string ShippedLibTorchSharp =>
        Path.Combine(PackagesRoot, "torchsharp", TorchSharpVersion, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    public static string TorchSharpVersion =>
        typeof(TorchSharp.torch).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "0.107.0";
}
