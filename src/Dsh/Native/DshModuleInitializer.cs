using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Dsh.Native;

/// <summary>Runs when the Dsh assembly is first used, before any of its code touches libtorch.</summary>
internal static class DshModuleInitializer
{
    /// <summary>
    /// Applies <see cref="OneDnnIsaGuard"/>: oneDNN reads its ISA cap once, at the first convolution of the process, so
    /// the cap must be in the environment before any Dsh code (or code that reached Dsh first) runs one. Only the
    /// process environment is touched; libtorch is not loaded here.
    /// </summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "The oneDNN ISA cap must be set before the first convolution of the process; it only sets an environment variable.")]
    internal static void Initialize()
    {
        if (OperatingSystem.IsLinux())
        {
            OneDnnIsaGuard.Apply();
        }
    }
}
