using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Dsh.WebDemo;

/// <summary>
/// The cache file name of a built-in model: a hash of the training files (relative path, size and content), the
/// settings, the Dsh library version and whether WordNet is installed (it changes the class vectors).
/// </summary>
public static class ModelCacheKey
{
    /// <summary>The key (16 hex digits) of the training data under <paramref name="trainDirectory"/> with its settings.</summary>
    public static string Compute(string trainDirectory, string profile, int bits, int epochs, int seed)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));

        Add("dsh-webdemo-model v1 " + profile);
        Add(string.Create(CultureInfo.InvariantCulture, $"bits={bits} epochs={epochs} seed={seed}"));
        Add(typeof(DshModel).Assembly.GetName().Version?.ToString() ?? "");
        Add(File.Exists("/usr/share/wordnet/data.noun") ? "wordnet" : "one-hot");
        var files = Directory.EnumerateFiles(trainDirectory, "*", SearchOption.AllDirectories)
            .Select(f => (Full: f, Relative: Path.GetRelativePath(trainDirectory, f).Replace('\\', '/')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal);
        foreach (var (full, relative) in files)
        {
            byte[] content = File.ReadAllBytes(full);
            Add(string.Create(CultureInfo.InvariantCulture, $"{relative} {content.Length} {Convert.ToHexString(SHA256.HashData(content))}"));
        }
        return Convert.ToHexString(hash.GetHashAndReset(), 0, 8).ToLowerInvariant();
    }
}
