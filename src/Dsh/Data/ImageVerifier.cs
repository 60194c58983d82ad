using Dsh.Imaging;

namespace Dsh.Data;

/// <summary>Checks image files by decoding each once within the load options' limits, in parallel.</summary>
internal static class ImageVerifier
{
    /// <summary>For each path, <see langword="null"/> when it decodes within <paramref name="options"/>, otherwise why not.</summary>
    public static string?[] Problems(IReadOnlyList<string> paths, ImageDecodingOptions options)
    {
        var problems = new string?[paths.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelDecodes };
        Parallel.For(0, paths.Count, parallel, i => problems[i] = Problem(paths[i], options));
        return problems;
    }

    /// <summary><see langword="null"/> when the file decodes within <paramref name="options"/>; otherwise the reason.</summary>
    public static string? Problem(string path, ImageDecodingOptions options)
    {
        try
        {
            using var image = ImageDecoding.Load(path, options);
            return null;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return SkipReasons.UnreadableImage + ": " + e.Message.ReplaceLineEndings(" ");
        }
    }
}
