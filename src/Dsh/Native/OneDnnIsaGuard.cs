using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Dsh.Native;

/// <summary>
/// Caps oneDNN (libtorch's CPU convolution library) at AVX2 on AMD processors with AVX-512, before the first
/// convolution runs. On such a machine (AMD EPYC with AVX-512, libtorch 2.10 in TorchSharp 0.107) the first backward
/// pass of a convolution in a process intermittently returned non-finite input gradients, which made training fail
/// with a NaN loss or, worse, train on garbage; with <c>DNNL_MAX_CPU_ISA=AVX2</c> it never did (docs/native-loading.md).
/// Intel processors with AVX-512 were not affected and keep oneDNN's default.
/// </summary>
/// <remarks>
/// A value the user set for <c>DNNL_MAX_CPU_ISA</c> or <c>ONEDNN_MAX_CPU_ISA</c> always wins, and
/// <c>DSH_ONEDNN_ISA=default</c> turns the guard off. The variable is set with the C library's <c>setenv</c>, because
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach native code on Unix; oneDNN reads
/// it when it creates its first primitive, so it must run before the first convolution of the process.
/// </remarks>
internal static class OneDnnIsaGuard
{
    internal const string Variable = "DNNL_MAX_CPU_ISA";
    internal const string CappedIsa = "AVX2";
    private const string OptOutVariable = "DSH_ONEDNN_ISA";

    private static bool _applied;

    /// <summary>What <see cref="Apply"/> did, for diagnostics and tests.</summary>
    internal static string Decision { get; private set; } = "not applied yet";

    /// <summary>Sets <c>DNNL_MAX_CPU_ISA=AVX2</c> when <see cref="ShouldCap"/> says so. Runs once per process (module
    /// initializer and <see cref="TorchRuntime.EnsureLoaded"/> both call it; not thread-safe before the first call ends,
    /// which the module initializer guarantees).</summary>
    internal static void Apply()
    {
        if (_applied)
        {
            return;
        }
        _applied = true;
        string? user = NativeGetenv(Variable);
        if (string.IsNullOrEmpty(user))
        {
            user = NativeGetenv("ONEDNN_MAX_CPU_ISA");
        }
        string? optOut = Environment.GetEnvironmentVariable(OptOutVariable);
        bool cap = ShouldCap(OperatingSystem.IsLinux(), IsAmd(), CpuHasAvx512F(), user, optOut);
        if (cap)
        {
            _ = setenv(Variable, CappedIsa, 1); // unset or empty: nothing of the user's to keep
        }
        Decision = cap ? $"{Variable}={CappedIsa} (AMD processor with AVX-512)"
            : user != null ? $"{Variable} left as set by the user ({user})"
            : "oneDNN default";
    }

    /// <summary>The rule: Linux, an AMD processor with AVX-512, no ISA chosen by the user, and no opt-out.</summary>
    internal static bool ShouldCap(bool linux, bool amd, bool avx512, string? userIsa, string? optOut) =>
        linux && amd && avx512 && string.IsNullOrEmpty(userIsa)
        && !string.Equals(optOut, "default", StringComparison.OrdinalIgnoreCase);

    /// <summary>What the processor has (CPUID leaf 7, EBX bit 16), not what the .NET JIT is allowed to use.</summary>
    private static bool CpuHasAvx512F()
    {
        if (!X86Base.IsSupported || X86Base.CpuId(0, 0).Eax < 7)
        {
            return false;
        }
        return (X86Base.CpuId(7, 0).Ebx & (1 << 16)) != 0;
    }

    private static bool IsAmd()
    {
        if (!X86Base.IsSupported)
        {
            return false;
        }
        (int _, int ebx, int ecx, int edx) = X86Base.CpuId(0, 0);
        Span<int> vendor = stackalloc int[] { ebx, edx, ecx };
        return MemoryMarshal.AsBytes(vendor).SequenceEqual("AuthenticAMD"u8);
    }

    private static string? NativeGetenv(string name) =>
        OperatingSystem.IsWindows() ? Environment.GetEnvironmentVariable(name) : Marshal.PtrToStringUTF8(getenv(name));

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern nint getenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
