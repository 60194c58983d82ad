namespace Dsh.Cli.Files;

/// <summary>Checks, before any long work starts, that an output file or folder can be written.</summary>
internal static class OutputPaths
{
    /// <summary>
    /// Checks that <paramref name="path"/> can be written as a file: it is not a folder, its folder exists or can be
    /// created, and a file can be created there (outputs are written through a temporary file in that folder and renamed).
    /// </summary>
    /// <param name="path">The output file.</param>
    /// <param name="option">The option that named it, for the message (e.g. "--out").</param>
    /// <returns>The full path.</returns>
    /// <exception cref="UsageException">The path is a folder.</exception>
    /// <exception cref="IOException">The folder cannot be created or written; the message names the option, the path and why.</exception>
    public static string CheckFile(string path, string option)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new UsageException($"{option} '{full}' is a folder; give a file name");
        }
        CheckFolder(Path.GetDirectoryName(full)!, option, full);
        return full;
    }

    /// <summary>Checks that files can be created in the folder <paramref name="path"/> (created when missing).</summary>
    /// <param name="path">The output folder.</param>
    /// <param name="option">The option that named it.</param>
    /// <returns>The full path.</returns>
    /// <exception cref="UsageException">The path is a file.</exception>
    /// <exception cref="IOException">The folder cannot be created or written.</exception>
    public static string CheckFolder(string path, string option)
    {
        string full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            throw new UsageException($"{option} '{full}' is a file; give a folder");
        }
        CheckFolder(full, option, full);
        return full;
    }

    private static void CheckFolder(string folder, string option, string named)
    {
        string probe = Path.Combine(folder, $".dsh-write-check-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{option} '{named}': cannot write in the folder '{folder}' ({e.Message.TrimEnd('.')}); nothing was done", e);
        }
    }
}
