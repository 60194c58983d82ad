using System.Globalization;

/// <summary>
/// The sample's optional arguments: <c>--data DIR --bits N --epochs N --seed N --batch N --save-model FILE --save-gallery FILE</c>.
/// </summary>
internal sealed record SampleArguments(string? DataDirectory, int CodeLength, int Epochs, int Seed, int BatchSize, string? SaveModel = null, string? SaveGallery = null)
{
    /// <summary>Where the bundled data lives, relative to the repository root.</summary>
    public static readonly string BundledData = Path.Combine("samples", "data", "pacs-mini");

    /// <summary>Parses the arguments; unknown names and bad values throw <see cref="ArgumentException"/>.</summary>
    public static SampleArguments Parse(string[] args)
    {
        var result = new SampleArguments(null, 32, 3, 1, 8);
        for (int i = 0; i < args.Length; i += 2)
        {
            string name = args[i];
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{name} needs a value.");
            result = name switch
            {
                "--data" => result with { DataDirectory = Path.GetFullPath(value) },
                "--bits" => result with { CodeLength = Positive(name, value) },
                "--epochs" => result with { Epochs = Positive(name, value) },
                "--batch" => result with { BatchSize = Positive(name, value) },
                "--save-model" => result with { SaveModel = Path.GetFullPath(value) },
                "--save-gallery" => result with { SaveGallery = Path.GetFullPath(value) },
                "--seed" => result with { Seed = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed) ? seed : throw new ArgumentException($"--seed needs a whole number, not '{value}'.") },
                _ => throw new ArgumentException($"unknown option '{name}' (expected --data, --bits, --epochs, --seed, --batch, --save-model, --save-gallery)."),
            };
        }
        return result;
    }

    /// <summary>samples/data/pacs-mini in the current directory or the nearest folder above it, or null.</summary>
    public static string? FindBundledData()
    {
        for (DirectoryInfo? dir = new(Directory.GetCurrentDirectory()); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, BundledData);
            if (Directory.Exists(Path.Combine(candidate, "train", "sketch")))
            {
                return candidate;
            }
        }
        return null;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw new ArgumentException($"{name} needs a positive whole number, not '{value}'.");
}
