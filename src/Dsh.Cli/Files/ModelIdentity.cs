using System.Buffers.Binary;
using System.Globalization;

namespace Dsh.Cli.Files;

/// <summary>
/// What a gallery records about the model that made its codes: <c>"NAME (xxh3 HEX)"</c>, the model file's name and the
/// checksum its last 8 bytes hold (an XxHash3 of everything before them), so a renamed or moved copy is still the same
/// model and a retrained one is not.
/// </summary>
internal static class ModelIdentity
{
    public static string Of(string modelPath)
    {
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(modelPath));
        if (Directory.Exists(modelPath))
        {
            return name; // an ONNX export that does not say which model file it came from
        }
        try
        {
            using var file = new FileStream(modelPath, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (file.Length < 8)
            {
                return name;
            }
            Span<byte> trailer = stackalloc byte[8];
            file.Position = file.Length - 8;
            file.ReadExactly(trailer);
            return string.Create(CultureInfo.InvariantCulture, $"{name} (xxh3 {BinaryPrimitives.ReadUInt64LittleEndian(trailer):x16})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return name;
        }
    }

    /// <summary>Whether two identities name the same model: the same checksum when both have one, else the same name.</summary>
    public static bool SameModel(string a, string b)
    {
        string? ca = Checksum(a), cb = Checksum(b);
        return ca is not null && cb is not null ? ca == cb : string.Equals(Path.GetFileName(a), Path.GetFileName(b), StringComparison.Ordinal);
    }

    private static string? Checksum(string identity)
    {
        int at = identity.LastIndexOf("(xxh3 ", StringComparison.Ordinal);
        return at < 0 ? null : identity[(at + 6)..].TrimEnd(')');
    }
}
