using System.Collections.Concurrent;
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
/// that dies mid-write (killed, power cut) leaves its temporary file behind; a later write in the same folder
/// removes such leftovers: those of a process of this machine that no longer runs, and any untouched for 24
/// hours (a writer keeps its file fresh while it writes). A live writer's file is never removed. Every write
/// looks for leftovers; in a folder of more than 1,000 entries (a cache) a process looks at most once a
/// minute, so writing many files there stays cheap.</para>
/// </remarks>
public static class AtomicFile
{
    /// <summary>A temporary file untouched for this long belongs to no live writer, whatever its name says.</summary>
    internal static readonly TimeSpan StaleAge = TimeSpan.FromHours(24);

    /// <summary>This machine in temporary file names: a hash of its name, 8 hex digits.</summary>
    internal static readonly string HostTag = XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(Environment.MachineName)).ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>A folder with more entries than this is searched for leftovers at most once per <see cref="LargeFolderInterval"/>.</summary>
    private const int LargeFolder = 1000;

    private static readonly TimeSpan LargeFolderInterval = TimeSpan.FromMinutes(1);

    /// <summary>Large folders searched lately, with when they may be searched again.</summary>
    private static readonly ConcurrentDictionary<string, DateTime> NextSearch = new(StringComparer.Ordinal);

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

        if (!NextSearch.TryGetValue(directory, out DateTime next) || DateTime.UtcNow >= next)
        {
            try
            {
                RemoveStaleTemporaryFiles(directory, out int entries);
                if (entries > LargeFolder)
                {
                    NextSearch[directory] = DateTime.UtcNow + LargeFolderInterval;
                }
                else
                {
                    NextSearch.TryRemove(directory, out _);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: leftovers waste space but are never read.
            }
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
    /// Removes the temporary files that writers left in <paramref name="directory"/> when they died: those of a
    /// process of this machine that no longer runs, and any untouched for <see cref="StaleAge"/>.
    /// </summary>
    /// <param name="directory">The folder.</param>
    /// <param name="entries">How many entries the folder has.</param>
    /// <returns>How many were removed.</returns>
    internal static int RemoveStaleTemporaryFiles(string directory, out int entries)
    {
        int seen = 0;
        var temporary = new FileSystemEnumerable<(string Path, DateTime Written)>(
            directory,
            (ref FileSystemEntry entry) => (entry.ToFullPath(), entry.LastWriteTimeUtc.UtcDateTime),
            new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = 0 })
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) =>
            {
                seen++;
                return !entry.IsDirectory && IsTemporaryName(entry.FileName);
            },
        };

        int removed = 0;
        DateTime now = DateTime.UtcNow;
        foreach ((string temp, DateTime written) in temporary.ToList())
        {
            if (now - written > StaleAge || IsFromDeadLocalProcess(Path.GetFileName(temp)))
            {
                removed += TryDelete(temp) ? 1 : 0;
            }
        }

        entries = seen;
        return removed;
    }

    /// <summary>
    /// Whether a file name is one this class gives temporary files: <c>.NAME.PID.HOST.RANDOM.tmp</c>, or
    /// <c>.NAME.GUID.tmp</c> (32 hex digits) as older versions did.
    /// </summary>
    private static bool IsTemporaryName(ReadOnlySpan<char> name)
    {
        if (name.Length < 6 || name[0] != '.' || !name.EndsWith(".tmp", StringComparison.Ordinal))
        {
            return false;
        }

        ReadOnlySpan<char> rest = name[1..^4];
        int dot = rest.LastIndexOf('.');
        if (dot <= 0)
        {
            return false;
        }

        ReadOnlySpan<char> last = rest[(dot + 1)..];
        if (last.Length == 32 && IsHex(last))
        {
            return true; // older naming
        }

        // RANDOM, HOST (8 hex digits each), then PID (digits).
        if (last.Length != 8 || !IsHex(last))
        {
            return false;
        }

        rest = rest[..dot];
        dot = rest.LastIndexOf('.');
        if (dot <= 0 || rest.Length - dot - 1 != 8 || !IsHex(rest[(dot + 1)..]))
        {
            return false;
        }

        rest = rest[..dot];
        dot = rest.LastIndexOf('.');
        return dot > 0 && dot < rest.Length - 1 && rest[(dot + 1)..].IndexOfAnyExceptInRange('0', '9') < 0;
    }

    private static bool IsHex(ReadOnlySpan<char> text) =>
        text.IndexOfAnyExcept("0123456789abcdef") < 0;

    /// <summary>Whether a temporary file name names a process of this machine that no longer runs.</summary>
    private static bool IsFromDeadLocalProcess(string name)
    {
        string[] parts = name[..^".tmp".Length].Split('.');
        if (parts.Length < 5 || parts[^1].Length != 8 || parts[^2] != HostTag
            || !int.TryParse(parts[^3], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0)
        {
            return false; // another machine (a shared folder) or the older naming: only age tells
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
