using System.Reflection;

namespace Dsh.Serve.Tests.Support;

/// <summary>Where the bundled data and the built dsh tool are.</summary>
internal static class TestPaths
{
    public static string PacsMini { get; } = Metadata("PacsMini");

    /// <summary>Dsh.Cli.dll, copied next to the tests by the project reference (run as <c>dotnet Dsh.Cli.dll</c>).</summary>
    public static string DshDll { get; } = Path.Combine(AppContext.BaseDirectory, "Dsh.Cli.dll");

    public static IReadOnlyList<string> PacsCategories { get; } = ["dog", "elephant", "giraffe", "guitar", "horse", "house", "person"];

    /// <summary>The 70 test sketches, in path order.</summary>
    public static IReadOnlyList<string> Sketches { get; } =
        Directory.GetFiles(Path.Combine(PacsMini, "test", "sketch"), "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

    /// <summary>The 140 training photos (not in the test gallery), in path order: distinct photos to add.</summary>
    public static IReadOnlyList<string> NewPhotos { get; } =
        Directory.GetFiles(Path.Combine(PacsMini, "train", "photo"), "*.*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

    private static string Metadata(string key) =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
