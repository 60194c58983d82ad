using System.Runtime.InteropServices;

namespace Dsh.Persistence;

/// <summary>
/// Turns what TorchSharp and libtorch throw while a file's network is built or filled (a native
/// <see cref="ExternalException"/>, an <see cref="OutOfMemoryException"/>) into an <see cref="InvalidDataException"/>
/// with a one-line message: libtorch appends a C++ backtrace after the first line, which is dropped.
/// </summary>
internal static class LoadFailures
{
    /// <summary>Runs <paramref name="action"/>, rethrowing native and out-of-memory failures as <see cref="InvalidDataException"/>.</summary>
    /// <param name="path">The file, named in the message.</param>
    /// <param name="what">What was being done, e.g. "building the network in its header".</param>
    /// <param name="action">The work.</param>
    public static T Guard<T>(string path, string what, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (ExternalException e)
        {
            throw new InvalidDataException($"{path}: {what} failed in TorchSharp: {FirstLine(e.Message)}", e);
        }
        catch (OutOfMemoryException e)
        {
            throw new InvalidDataException($"{path}: {what} ran out of memory: {FirstLine(e.Message)}", e);
        }
    }

    /// <summary>Runs <paramref name="action"/> as <see cref="Guard{T}"/> does.</summary>
    public static void Guard(string path, string what, Action action) => Guard(path, what, () =>
    {
        action();
        return true;
    });

    /// <summary>The first non-empty line of <paramref name="message"/>, trimmed.</summary>
    public static string FirstLine(string? message)
    {
        foreach (string line in (message ?? "").Split('\n'))
        {
            if (line.Trim() is { Length: > 0 } trimmed)
            {
                return trimmed;
            }
        }
        return "no message";
    }
}
