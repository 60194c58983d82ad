using System.Reflection;

namespace Dsh.WebDemo.Tests;

/// <summary>Paths baked in at build time (see the project file).</summary>
internal static class TestPaths
{
    public static string WebDemoDll => Metadata("WebDemoDll");

    public static string PacsMini => Metadata("PacsMini");

    public static readonly string[] PacsCategories = { "dog", "elephant", "giraffe", "guitar", "horse", "house", "person" };

    /// <summary>Debian's Chromium (apt-get install chromium); DSH_CHROMIUM overrides.</summary>
    public static string Chromium => Environment.GetEnvironmentVariable("DSH_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private static string Metadata(string key) =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
