namespace Dsh.Persistence;

/// <summary>
/// The per-user folders the library and the <c>dsh</c> tool keep caches in (sketch-token maps, the demo's model), instead
/// of predictable shared names in the temporary folder that another account could create first or read.
/// </summary>
public static class DshDirectories
{
    private const UnixFileMode OwnerOnlyMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private static readonly Lazy<string> CacheRoot = new(FindCacheRoot);

    /// <summary>
    /// The cache root: <c>$XDG_CACHE_HOME/dsh</c>, else <c>~/.cache/dsh</c> on Linux and macOS; <c>%LOCALAPPDATA%\dsh\cache</c> on
    /// Windows. Created on first use with owner-only permissions (0700), and tightened to them if it already existed. When
    /// there is no usable home folder, a fresh private folder under the temporary folder (random name, 0700) for this process.
    /// </summary>
    public static string Cache => CacheRoot.Value;

    /// <summary>The sub-folder <paramref name="name"/> of <see cref="Cache"/>, created with owner-only permissions.</summary>
    /// <param name="name">A plain folder name (no separators).</param>
    /// <exception cref="ArgumentException">The name is empty or holds a path separator or "..".</exception>
    public static string CacheFolder(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.IndexOfAny(['/', '\\']) >= 0 || name is "." or "..")
        {
            throw new ArgumentException($"'{name}' is not a plain folder name.", nameof(name));
        }
        string path = Path.Combine(Cache, name);
        return TryOwnerOnly(path) ? path : throw new IOException($"The cache folder '{path}' cannot be made private to this user.");
    }

    private static string FindCacheRoot() => FirstUsable(Candidates());

    /// <summary>The first candidate that is (or can be made) a private folder; else a fresh private folder in the temp folder.</summary>
    internal static string FirstUsable(IEnumerable<string?> candidates)
    {
        foreach (string? candidate in candidates)
        {
            if (!string.IsNullOrWhiteSpace(candidate) && Path.IsPathFullyQualified(candidate) && TryOwnerOnly(candidate))
            {
                return candidate;
            }
        }
        // Directory.CreateTempSubdirectory makes a folder with a random name and mode 0700.
        return Directory.CreateTempSubdirectory("dsh-cache-").FullName;
    }

    private static IEnumerable<string?> Candidates()
    {
        if (OperatingSystem.IsWindows())
        {
            string local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            yield return local.Length == 0 ? null : Path.Combine(local, "dsh", "cache");
            yield break;
        }
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        yield return string.IsNullOrWhiteSpace(xdg) ? null : Path.Combine(xdg, "dsh");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        yield return home.Length == 0 ? null : Path.Combine(home, ".cache", "dsh");
    }

    /// <summary>
    /// Creates <paramref name="path"/> (mode 0700 on Unix) or, when it exists, checks it is a real folder and sets 0700 on it;
    /// only its owner (or root) may change a folder's mode, so a folder another account made first is refused.
    /// </summary>
    private static bool TryOwnerOnly(string path)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
                return true;
            }
            var info = Directory.CreateDirectory(path, OwnerOnlyMode);
            if (info.LinkTarget is not null)
            {
                return false;
            }
            if ((info.UnixFileMode & ~OwnerOnlyMode) != 0 || (info.UnixFileMode & OwnerOnlyMode) != OwnerOnlyMode)
            {
                File.SetUnixFileMode(path, OwnerOnlyMode);
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return false;
        }
    }
}
