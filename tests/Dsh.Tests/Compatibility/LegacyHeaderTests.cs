using System.Text;
using Dsh.Persistence;
using Dsh.Tests.Support;
using Dsh.Training;

namespace Dsh.Tests.Compatibility;

/// <summary>
/// The JSON headers of a ResNet18(64) model file and checkpoint and of a Paper(128) model file, as an earlier commit wrote
/// them (TestData/LegacyFiles, see its README.md; the weights are too large to commit), still read as those
/// architectures, whose networks still have the committed state-dict layout (key, element type, shape, in order). A
/// model file made of the committed ResNet18 header and a payload in the committed layout loads through
/// <see cref="DshModel.Load(string)"/>.
/// </summary>
public sealed class LegacyHeaderTests
{
    private const string ResNet18ModelHeader = "resnet18-64.model.header.json";
    private const string ResNet18CheckpointHeader = "resnet18-64.checkpoint.header.json";
    private const string PaperModelHeader = "paper-128.model.header.json";

    /// <summary>The ResNet18 profile's network at 64 bits as those files were written: token maps at the sketch side.</summary>
    internal static DshArchitecture ResNet18Of64 => DshArchitecture.ResNet18(64) with { TokenInputSize = null, MirrorPhotos = false, MirrorSketches = false };

    private static string Json(string file) => File.ReadAllText(LegacyFiles.File(file), Encoding.UTF8);

    public static TheoryData<string, string> ModelHeaders => new()
    {
        { ResNet18ModelHeader, "resnet18-64" },
        { PaperModelHeader, "paper-128" },
    };

    private static DshArchitecture Reference(string name) => name switch
    {
        "resnet18-64" => ResNet18Of64,
        "paper-128" => DshArchitecture.Paper(128),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(ModelHeaders))]
    public void LegacyModelHeader_ReadsAsTheBuiltInArchitecture(string header, string name)
    {
        var read = DshJson.Deserialize<DshModel.FileHeader>(Json(header), header);

        Assert.Equal(Reference(name), read.Architecture);
        Assert.NotNull(read.TrainingOptions);
        Assert.Equal(Reference(name), read.TrainingOptions.Architecture);
        Assert.Equal(new[] { "dog", "elephant", "guitar" }, read.Categories);
        read.Architecture.Validate();
    }

    [Theory]
    [MemberData(nameof(ModelHeaders))]
    public void NetworkOfTheLegacyHeader_HasTheCommittedStateLayout(string header, string name)
    {
        var read = DshJson.Deserialize<DshModel.FileHeader>(Json(header), header);
        using var network = new DshNetwork(read.Architecture);

        Assert.Equal(LegacyFiles.ReadLayout(LegacyFiles.LayoutFile(name)), LegacyFiles.Layout(network));
    }

    [Fact]
    public void LegacyResNet18CheckpointHeader_ReadsAsResNet18Of64()
    {
        var read = DshJson.Deserialize<TrainingCheckpoint.Header>(Json(ResNet18CheckpointHeader), ResNet18CheckpointHeader);

        Assert.Equal(ResNet18Of64, read.Architecture);
        Assert.Equal(5, read.Seed);
        Assert.Equal(8, read.BatchSize);
        Assert.NotNull(read.Settings);
        Assert.Equal(2, read.GlobalStep);
    }

    [Fact]
    public void ModelFile_WithTheLegacyResNet18HeaderAndLayout_Loads()
    {
        using var temp = new TempFolder("dsh-legacy-header-");
        string path = temp.File("resnet18-64.dshmodel");
        LegacyFiles.WriteModelFile(path, File.ReadAllBytes(LegacyFiles.File(ResNet18ModelHeader)), LegacyFiles.ReadLayout(LegacyFiles.LayoutFile("resnet18-64")));

        using DshModel model = DshModel.Load(path);

        Assert.Equal(64, model.CodeLength);
        Assert.Equal(ResNet18Of64, model.Architecture);
        Assert.Equal(new[] { "dog", "elephant", "guitar" }, model.Categories);
        Assert.Equal(1, model.TrainingOptions?.Epochs);
        Assert.Equal(5, model.TrainingOptions?.Seed);
        Assert.False(model.TrainingOptions?.Objective.BalancePhotoClasses); // trained when every pair weighed 1
        Assert.Equal(LegacyFiles.ReadLayout(LegacyFiles.LayoutFile("resnet18-64")), LegacyFiles.Layout(model.Network));
    }
}
