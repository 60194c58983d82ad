using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Dsh.Hashing.Persistence;

/// <summary>
/// The few libc calls the persistence code needs on Linux and macOS that .NET does not offer.
/// </summary>
/// <remarks>
/// <para>Hand-written because .NET has no API for either job: it cannot open a directory as a
/// <see cref="FileStream"/> (needed to <c>fsync</c> a folder after a rename, so the rename itself survives a
/// power cut), and a <see cref="FileStream"/> takes its own <c>flock</c> (shared unless
/// <see cref="FileShare.None"/>), takes none at all when <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> is set, and
/// cannot wait for a lock. The lock file is therefore opened and locked here with plain <c>open</c> and
/// <c>flock</c>.</para>
/// <para><c>open</c> is variadic in C; it is only ever called here with two arguments (no <c>O_CREAT</c>),
/// which is how C calls it too, so the calling convention of variadic arguments (different on Apple arm64)
/// never matters. The flag values differ between Linux and macOS (and <c>O_DIRECTORY</c> between Linux
/// architectures); they are picked at run time.</para>
/// </remarks>
internal static partial class Posix
{
    private const int ReadOnly = 0;
    private const int ReadWrite = 2;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int LockUnlock = 8;
    private const int Interrupted = 4; // EINTR, the same on Linux and macOS
    private const int NoEntry = 2; // ENOENT, the same on Linux and macOS
    private const int Invalid = 22; // EINVAL, the same on Linux and macOS

    /// <summary>Whether this class can be used: Linux or macOS.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    private static int CloseOnExec => OperatingSystem.IsMacOS() ? 0x1000000 : 0x80000;

    private static int Directory => OperatingSystem.IsMacOS()
        ? 0x100000
        : RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 or Architecture.Armv6 or Architecture.Ppc64le ? 0x4000 : 0x10000;

    private static int WouldBlock => OperatingSystem.IsMacOS() ? 35 : 11; // EWOULDBLOCK = EAGAIN

    private static int NotSupported => OperatingSystem.IsMacOS() ? 45 : 95; // ENOTSUP / EOPNOTSUPP

    /// <summary>Flushes a folder's entries (a rename in it) to disk.</summary>
    /// <param name="directory">The folder.</param>
    /// <exception cref="IOException">The folder cannot be opened or flushed.</exception>
    public static void FsyncDirectory(string directory)
    {
        using SafeFileHandle handle = Open(directory, ReadOnly | Directory | CloseOnExec);
        if (handle.IsInvalid)
        {
            throw Error(Marshal.GetLastPInvokeError(), $"Cannot open the folder '{directory}' to flush it to disk");
        }

        while (Fsync(handle) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == Interrupted)
            {
                continue;
            }

            // Some file systems cannot sync a directory (they say EINVAL or ENOTSUP); their renames are as durable as they get.
            if (errno == Invalid || errno == NotSupported)
            {
                return;
            }

            throw Error(errno, $"Cannot flush the folder '{directory}' to disk");
        }
    }

    /// <summary>Opens an existing file, close-on-exec (so a child process never inherits a lock).</summary>
    /// <param name="path">The file.</param>
    /// <param name="write">Open it for writing too.</param>
    /// <returns>The handle, or null when the file does not exist.</returns>
    public static SafeFileHandle? OpenExisting(string path, bool write)
    {
        SafeFileHandle handle = Open(path, (write ? ReadWrite : ReadOnly) | CloseOnExec);
        if (!handle.IsInvalid)
        {
            return handle;
        }

        int errno = Marshal.GetLastPInvokeError();
        handle.Dispose();
        if (errno == NoEntry)
        {
            return null;
        }

        throw Error(errno, $"Cannot open '{path}'");
    }

    /// <summary>Tries to take an exclusive <c>flock</c> without waiting.</summary>
    /// <param name="handle">An open file.</param>
    /// <param name="path">Its path, for the message.</param>
    /// <returns>True if taken; false if another open file holds it.</returns>
    public static bool TryLockExclusive(SafeFileHandle handle, string path)
    {
        while (Flock(handle, LockExclusive | LockNonBlocking) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == Interrupted)
            {
                continue;
            }

            if (errno == WouldBlock)
            {
                return false;
            }

            throw Error(errno, $"Cannot lock '{path}'");
        }

        return true;
    }

    /// <summary>Releases a <c>flock</c> (closing the file would too).</summary>
    /// <param name="handle">The locked file.</param>
    public static void Unlock(SafeFileHandle handle) => _ = Flock(handle, LockUnlock);

    private static SafeFileHandle Open(string path, int flags)
    {
        while (true)
        {
            int fd = OpenCore(path, flags);
            if (fd >= 0 || Marshal.GetLastPInvokeError() != Interrupted)
            {
                return new SafeFileHandle(fd, ownsHandle: fd >= 0);
            }
        }
    }

    private static IOException Error(int errno, string what) =>
        new($"{what}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenCore(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(SafeFileHandle fd);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(SafeFileHandle fd, int operation);
}
