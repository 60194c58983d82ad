using Dsh.Pretrained;
using Dsh.Tests.Support;
using Onnx;

namespace Dsh.Tests.Pretrained;

/// <summary>
/// The ONNX files Microsoft.ML.DnnImageFeaturizer.ResNet18 copies into the test output, and real PACS photos.
/// </summary>
internal static class PretrainedFiles
{
    public static string ResNet18 => ResNet18Onnx.DefaultPath;

    public static string Preprocess => ResNetPreprocessing.DefaultPath;

    /// <summary>The parsed ResNet18.onnx, read once (63 MB) and cloned by each test that mutates it.</summary>
    public static ModelProto Model => LazyModel.Value;

    private static readonly Lazy<ModelProto> LazyModel = new(() => ModelProto.Parser.ParseFrom(File.ReadAllBytes(ResNet18)));

    /// <summary><paramref name="perCategory"/> photos (sorted by name) of each of the 7 PACS categories.</summary>
    public static IReadOnlyList<string> Photos(int perCategory)
    {
        string root = Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "data", "pacs", "photo"));
        return Directory.GetDirectories(root).Order(StringComparer.Ordinal)
            .SelectMany(d => Directory.GetFiles(d, "*.jpg").Order(StringComparer.Ordinal).Take(perCategory))
            .ToArray();
    }

    /// <summary>A temporary file holding <paramref name="model"/>, deleted on dispose.</summary>
    public static TempFile Save(ModelProto model)
    {
        var file = new TempFile(".onnx");
        using (FileStream stream = File.Create(file.Path))
        {
            Google.Protobuf.MessageExtensions.WriteTo(model, stream);
        }
        return file;
    }
}

/// <summary>A file name in the temp folder, deleted on dispose.</summary>
internal sealed class TempFile(string extension) : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"dsh-{Guid.NewGuid():N}{extension}");

    public void Dispose()
    {
        if (File.Exists(Path))
        {
            File.Delete(Path);
        }
    }
}

/// <summary>One imported trunk (eval mode) shared by the tests of a class: importing parses 63 MB.</summary>
public sealed class ImportedTrunkFixture : IDisposable
{
    public ImportedTrunkFixture()
    {
        Trunk = ResNet18Onnx.Import(PretrainedFiles.ResNet18);
        Trunk.eval();
    }

    public ResNet18Trunk Trunk { get; }

    public void Dispose() => Trunk.Dispose();
}
