using System.Diagnostics;
using System.Globalization;
using System.IO.Enumeration;
using System.IO.Hashing;
using System.Text;

namespace Dsh.Hashing.Persistence;

/// <summary>
/// Writes a file so that readers see the old content or the new one, never a mix: the bytes go to a
/// temporary file in the same folder, are flushed to disk, then the temporary file is renamed over the
/// target (an atomic replace on the same file system), and on Linux and macOS the folder is flushed too, so
/// the rename itself survives a power cut.
/// </summary>
/// <remarks>
/// <para>The temporary file is <c>.NAME.PID.HOST.RANDOM.tmp</c> next to the target (it must be on the same file
/// system for the rename to be atomic): PID is the writing process, HOST a hash of the machine name. A writer
/// that dies mid-write (killed, power cut) leaves its temporary file behind; every later write of the same
/// target removes such leftovers: those of a process of this machine that no longer runs, and any untouched
/// for 24 hours (a writer keeps its file fresh while it writes). A live writer's file is never removed.</para>
/// </remarks>
public static class AtomicFile
{
    /// <summary>A temporary file untouched for this long belongs to no live writer, whatever its name says.</summary>
    internal static readonly TimeSpan StaleAge = TimeSpan.FromHours(24);

    /// <summary>This machine in temporary file names: a hash of its name, 8 hex digits.</summary>
    internal static readonly string HostTag = XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(Environment.MachineName)).ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    /// <param name="path">The target file.</param>
    /// <param name="write">Writes the whole content to the stream it is given.</param>
    /// <exception cref="DirectoryNotFoundException">The target's folder does not exist.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no folder.", nameof(path));
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The folder '{directory}' does not exist.");
        }

        try
        {
            RemoveStaleTemporaryFiles(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: leftovers waste space but are never read.
        }

        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.{HostTag}.{Random.Shared.Next():x8}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        // Windows needs nothing here (NTFS journals the rename); elsewhere the folder entry is flushed by hand.
        if (Posix.IsSupported)
        {
            Posix.FsyncDirectory(directory);
        }
    }

    /// <summary>
    /// Removes the temporary files that writers of <paramref name="fullPath"/> left behind when they died: those of
    /// a process of this machine that no longer runs, and any older than <see cref="StaleAge"/>.
    /// </summary>
    /// <param name="fullPath">The target file, a full path.</param>
    /// <returns>How many were removed.</returns>
    internal static int RemoveStaleTemporaryFiles(string fullPath)
    {
        string directory = Path.GetDirectoryName(fullPath)!;
        string prefix = "." + Path.GetFileName(fullPath) + ".";
        var candidates = new FileSystemEnumerable<(string Path, DateTime Written)>(
            directory,
            (ref FileSystemEntry entry) => (entry.ToFullPath(), entry.LastWriteTimeUtc.UtcDateTime),
            new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Directory })
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) =>
                entry.FileName.StartsWith(prefix, StringComparison.Ordinal) && entry.FileName.EndsWith(".tmp", StringComparison.Ordinal),
        };

        int removed = 0;
        DateTime now = DateTime.UtcNow;
        foreach ((string temp, DateTime written) in candidates)
        {
            string middle = Path.GetFileName(temp)[prefix.Length..^".tmp".Length];
            if (now - written > StaleAge || IsFromDeadLocalProcess(middle))
            {
                removed += TryDelete(temp) ? 1 : 0;
            }
        }

        return removed;
    }

    /// <summary>Whether "PID.HOST.RANDOM" names a process of this machine that no longer runs.</summary>
    private static bool IsFromDeadLocalProcess(string middle)
    {
        string[] parts = middle.Split('.');
        if (parts.Length != 3 || parts[1] != HostTag
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0)
        {
            return false; // another machine (a shared folder) or another naming: only age tells
        }

        if (pid == Environment.ProcessId)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return false;
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
        catch (InvalidOperationException)
        {
            return false; // cannot tell: keep it
        }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            // Best effort: the temporary file is hidden and never read.
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
