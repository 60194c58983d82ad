using SixLabors.ImageSharp;

namespace Dsh;

/// <summary>Checks image files by their headers only (ImageSharp <c>Image.Identify</c>), in parallel.</summary>
internal static class ImageVerifier
{
    /// <summary>For each path, <see langword="null"/> when readable, otherwise why not.</summary>
    public static string?[] Problems(IReadOnlyList<string> paths)
    {
        var problems = new string?[paths.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount * 2) };
        Parallel.For(0, paths.Count, parallel, i => problems[i] = Problem(paths[i]));
        return problems;
    }

    /// <summary><see langword="null"/> when the file's header names a known format and a non-empty size.</summary>
    public static string? Problem(string path)
    {
        try
        {
            IImageInfo? info = Image.Identify(path);
            if (info is null)
            {
                return SkipReasons.UnreadableImage + ": unknown image format";
            }
            if (info.Width <= 0 || info.Height <= 0)
            {
                return SkipReasons.UnreadableImage + $": size {info.Width}x{info.Height}";
            }
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return SkipReasons.UnreadableImage + ": " + e.Message;
        }
    }
}
