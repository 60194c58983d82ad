using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dsh.Hashing.Persistence;
using Microsoft.Win32.SafeHandles;

namespace Dsh.Hashing.Galleries;

/// <summary>
/// The exclusive lock that serialises the writers of one gallery file, across processes: an operating-system
/// lock on the file <c>GALLERY.lock</c> next to it.
/// </summary>
/// <remarks>
/// <para>On Linux and macOS the lock is <c>flock(LOCK_EX)</c> on the lock file, taken by hand (see
/// <see cref="Posix"/>), so it neither depends on .NET's own advisory locking (which
/// <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> turns off) nor lets a reader of the lock file block a writer.
/// An <c>flock</c> belongs to the open file; the kernel drops it when the last descriptor of that file is
/// closed, which happens when the process ends in any way, <c>kill -9</c> included, so a dead writer never
/// leaves the gallery locked. The descriptor is close-on-exec, so child processes do not inherit it.
/// On Windows the lock is the lock file opened without write sharing, which Windows also releases when the
/// process ends. Elsewhere it is .NET's <see cref="FileShare.None"/>.</para>
/// <para>The lock file is never deleted (deleting a lock file that others wait on lets two writers in at once);
/// while held it names its holder, for the message of a writer that gives up waiting.</para>
/// <para>Re-entrant on one thread: taking a lock the thread already holds (a save inside an update) succeeds
/// at once. Another thread of the same process waits like another process does.</para>
/// </remarks>
internal sealed class GalleryLock : IDisposable
{
    private static readonly string Holder = DescribeThisProcess();

    [ThreadStatic]
    private static Dictionary<string, int>? t_held;

    private readonly string _lockPath;
    private SafeFileHandle? _handle;
    private bool _canWrite;
    private FileStream? _stream;
    private bool _disposed;

    private GalleryLock(string lockPath) => _lockPath = lockPath;

    /// <summary>The lock file of a gallery file.</summary>
    public static string PathFor(string galleryPath) => galleryPath + ".lock";

    /// <summary>Takes the lock of <paramref name="galleryPath"/>, waiting up to the timeout.</summary>
    /// <param name="galleryPath">The gallery file, a full path.</param>
    /// <param name="timeout">How long to wait; infinite, or zero to try once.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <exception cref="TimeoutException">Another writer held the lock for the whole timeout.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="IOException">The lock file cannot be created or locked.</exception>
    public static GalleryLock Acquire(string galleryPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        string lockPath = PathFor(galleryPath);
        var held = t_held ??= new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new GalleryLock(lockPath);
        if (held.TryGetValue(lockPath, out int depth))
        {
            held[lockPath] = depth + 1;
            return result;
        }

        try
        {
            result.Wait(galleryPath, timeout, cancellationToken);
        }
        catch
        {
            result.Abandon();
            throw;
        }

        held[lockPath] = 1;
        return result;
    }

    /// <summary>Releases the lock (or one level of a re-entrant hold).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Dictionary<string, int> held = t_held!;
        int depth = held[_lockPath];
        if (depth > 1)
        {
            held[_lockPath] = depth - 1;
            return;
        }

        held.Remove(_lockPath);
        Release();
    }

    private void Wait(string galleryPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        int delayMs = 1;
        while (!TryTake())
        {
            cancellationToken.ThrowIfCancellationRequested();
            TimeSpan left = timeout == Timeout.InfiniteTimeSpan ? Timeout.InfiniteTimeSpan : timeout - clock.Elapsed;
            if (left != Timeout.InfiniteTimeSpan && left <= TimeSpan.Zero)
            {
                throw new TimeoutException(
                    $"Cannot write '{galleryPath}': another writer holds its lock file '{_lockPath}' ({ReadHolder(_lockPath)}); gave up after {timeout.TotalSeconds:0.###} s. "
                    + "The lock is released when that writer finishes or its process ends.");
            }

            // Poll with a growing, jittered delay: short waits stay short, long ones cost little.
            int sleep = Math.Min(delayMs + Random.Shared.Next(delayMs + 1), 50);
            if (left != Timeout.InfiniteTimeSpan)
            {
                sleep = (int)Math.Clamp(Math.Ceiling(left.TotalMilliseconds), 1, sleep);
            }

            if (cancellationToken.WaitHandle.WaitOne(sleep))
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            delayMs = Math.Min(delayMs * 2, 25);
        }
    }

    /// <summary>Closes the lock file after a failed wait (the lock may or may not have been taken).</summary>
    private void Abandon()
    {
        _handle?.Dispose();
        _stream?.Dispose();
    }

    /// <summary>Clears the holder's note and releases the lock.</summary>
    private void Release()
    {
        if (_handle is not null)
        {
            try
            {
                if (_canWrite)
                {
                    RandomAccess.SetLength(_handle, 0);
                }
            }
            catch (IOException)
            {
                // Only the holder description is left behind.
            }

            Posix.Unlock(_handle);
            _handle.Dispose();
        }

        if (_stream is not null)
        {
            try
            {
                _stream.SetLength(0);
            }
            catch (IOException)
            {
                // Only the holder description is left behind.
            }

            _stream.Dispose();
        }
    }

    private static string DescribeThisProcess()
    {
        string program = Path.GetFileName(Environment.GetCommandLineArgs().FirstOrDefault() ?? "") is { Length: > 0 } name ? name : "?";
        return $"process {Environment.ProcessId.ToString(CultureInfo.InvariantCulture)} ({program}) on {Environment.MachineName}";
    }

    /// <summary>What the lock file says about its holder, without taking the lock.</summary>
    private static string ReadHolder(string lockPath)
    {
        try
        {
            string text;
            if (Posix.IsSupported)
            {
                using SafeFileHandle? handle = Posix.OpenExisting(lockPath, write: false);
                var buffer = new byte[512];
                int read = handle is null ? 0 : RandomAccess.Read(handle, buffer, 0);
                text = Encoding.UTF8.GetString(buffer, 0, read);
            }
            else
            {
                using var stream = new FileStream(lockPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var buffer = new byte[512];
                text = Encoding.UTF8.GetString(buffer, 0, stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false));
            }

            text = text.Trim();
            return text.Length > 0 ? "held by " + text : "its holder did not say who it is yet";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "its holder cannot be read";
        }
    }

    /// <summary>One attempt; on success the lock file names this process.</summary>
    private bool TryTake()
    {
        byte[] note = Encoding.UTF8.GetBytes($"{Holder} since {DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture)}\n");
        if (Posix.IsSupported)
        {
            _handle ??= OpenLockFile();
            if (!Posix.TryLockExclusive(_handle, _lockPath))
            {
                return false;
            }

            if (_canWrite)
            {
                RandomAccess.SetLength(_handle, 0);
                RandomAccess.Write(_handle, note, 0);
            }

            return true;
        }

        try
        {
            // Windows: others may read the holder's note but not open the file for writing. Other systems:
            // .NET's exclusive flock (FileShare.None).
            _stream = new FileStream(_lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, OperatingSystem.IsWindows() ? FileShare.Read : FileShare.None, 1);
        }
        catch (IOException) when (File.Exists(_lockPath))
        {
            return false;
        }

        _stream.SetLength(0);
        _stream.Write(note);
        _stream.Flush();
        return true;
    }

    /// <summary>Opens the lock file (creating it if needed) without .NET's own flock; read-only where it is not writable (an flock needs no write access).</summary>
    private SafeFileHandle OpenLockFile()
    {
        while (true)
        {
            SafeFileHandle? handle;
            try
            {
                handle = Posix.OpenExisting(_lockPath, write: true);
                _canWrite = true;
            }
            catch (IOException)
            {
                handle = Posix.OpenExisting(_lockPath, write: false);
                _canWrite = false;
            }

            if (handle is not null)
            {
                return handle;
            }

            try
            {
                // Created through .NET (the permissions follow the umask); the handle is closed at once and the file
                // reopened above, so .NET's own flock on it lasts only this statement.
                new FileStream(_lockPath, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1).Dispose();
            }
            catch (IOException) when (File.Exists(_lockPath))
            {
                // Another writer created it meanwhile.
            }
        }
    }
}
