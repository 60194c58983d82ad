using System.Runtime.InteropServices;
using TorchSharp;

namespace Dsh.Native;

/// <summary>
/// Checks once per process that TorchSharp's native backend loads, and turns a failure into a
/// <see cref="DshNativeLibraryException"/> that names the cause (TorchSharp's own message blames a missing
/// package reference even when the real cause is a missing libstdc++ symbol version).
/// </summary>
public static class TorchRuntime
{
    private static readonly string NativeName =
        OperatingSystem.IsWindows() ? "LibTorchSharp.dll" : OperatingSystem.IsMacOS() ? "libLibTorchSharp.dylib" : "libLibTorchSharp.so";
    private const string MissingVersion = "GLIBCXX_3.4.32";
    private static readonly Lock Gate = new();
    private static bool _loaded;

    /// <summary>Loads the native backend (once) or throws <see cref="DshNativeLibraryException"/>.</summary>
    /// <exception cref="DshNativeLibraryException">The backend could not be loaded; the message says why and what to do.</exception>
    public static void EnsureLoaded()
    {
        if (Volatile.Read(ref _loaded))
        {
            return;
        }
        lock (Gate)
        {
            if (_loaded)
            {
                return;
            }
            // Ask the loader first: when the copy next to the app cannot load, TorchSharp's own fallback would copy
            // ~600 MB of libtorch from the NuGet cache into a "cpu" folder before failing with a misleading message.
            string? path = FindNativeLibrary(AppContext.BaseDirectory);
            string? loaderError = path == null ? null : TryLoad(path);
            if (path != null && loaderError != null)
            {
                throw LoadFailure(path, loaderError, null);
            }
            if (OperatingSystem.IsLinux())
            {
                OneDnnIsaGuard.Apply(); // before the first convolution of the process
            }
            try
            {
                using var probe = torch.zeros(1);
            }
            catch (Exception e) when (e is not DshNativeLibraryException and not OutOfMemoryException)
            {
                throw Diagnose(e);
            }
            Volatile.Write(ref _loaded, true);
        }
    }

    /// <summary>Builds the exception for a failed load, asking the dynamic loader for its own error.</summary>
    internal static DshNativeLibraryException Diagnose(Exception failure)
    {
        string? path = FindNativeLibrary(AppContext.BaseDirectory);
        if (path == null)
        {
            return new DshNativeLibraryException(
                $"TorchSharp could not start, and its native library {NativeName} is not in the application folder " +
                $"{AppContext.BaseDirectory} (nor under runtimes/{RuntimeInformation.RuntimeIdentifier}/native). If the " +
                "application does not reference a TorchSharp backend package, add one (TorchSharp-cpu, or a CUDA one on a " +
                $"GPU machine). TorchSharp said: {failure.Message}", failure);
        }
        string? loaderError = TryLoad(path);
        if (loaderError == null)
        {
            return new DshNativeLibraryException(
                $"TorchSharp's native library {path} loads, but TorchSharp could not start: {failure.Message} " +
                "Check that the libtorch package (libtorch-cpu-*, or a CUDA one) matches TorchSharp's version.", failure)
            { LibraryPath = path };
        }
        return LoadFailure(path, loaderError, failure);
    }

    private static DshNativeLibraryException LoadFailure(string path, string loaderError, Exception? failure)
    {
        string fix = loaderError.Contains(MissingVersion, StringComparison.Ordinal)
            ? $" This machine's libstdc++ lacks {MissingVersion}, which libLibTorchSharp.so asks for but never uses. " +
              "The Dsh package's build target marks that need weak in the copy in your build/publish output: " +
              "reference the Dsh package (or import its buildTransitive/Dsh.targets), make sure " +
              "DshPatchLibTorchSharp is 'always' (the default), and rebuild on Linux. See docs/native-loading.md."
            : " Check that the libtorch package matching TorchSharp's version is referenced and that its files " +
              "were copied next to the application.";
        return new DshNativeLibraryException(
            $"TorchSharp's native library {path} failed to load: {loaderError}.{fix}", failure)
        { LibraryPath = path, LoaderError = loaderError };
    }

    /// <summary>The libLibTorchSharp copy the application would load, searched where .NET probes.</summary>
    internal static string? FindNativeLibrary(string baseDirectory)
    {
        string[] candidates =
        {
            Path.Combine(baseDirectory, NativeName),
            Path.Combine(baseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", NativeName),
            Path.Combine(baseDirectory, "runtimes", PortableRid(), "native", NativeName),
        };
        foreach (string candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static string PortableRid() =>
        (OperatingSystem.IsWindows() ? "win-" : OperatingSystem.IsMacOS() ? "osx-" : "linux-") +
        RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();

    /// <summary>Loads the file with the platform loader; returns its error text, or null when it loads.</summary>
    private static string? TryLoad(string path)
    {
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(path));
            return null;
        }
        catch (DllNotFoundException e)
        {
            return e.Message.TrimEnd('.', ' ');
        }
        catch (BadImageFormatException e)
        {
            return e.Message.TrimEnd('.', ' ');
        }
    }
}
