using Dsh.Pretrained;
using Onnx;

namespace Dsh.Tests.Pretrained;

/// <summary>Missing, foreign, corrupt and mutated files fail with clear exceptions naming the package or the node.</summary>
public sealed class ImportErrorTests
{
    [Fact]
    public void A_missing_file_names_the_package_and_the_default_path()
    {
        string path = Path.Combine(Path.GetTempPath(), $"dsh-missing-{Guid.NewGuid():N}.onnx");
        var e = Assert.Throws<FileNotFoundException>(() => ResNet18Onnx.Import(path));
        Assert.Contains("Microsoft.ML.DnnImageFeaturizer.ResNet18", e.Message);
        Assert.Contains(ResNet18Onnx.DefaultPath, e.Message);
        Assert.Equal(path, e.FileName);
        var m = Assert.Throws<FileNotFoundException>(() => ResNetPreprocessing.LoadMeanImage(path));
        Assert.Contains("Microsoft.ML.DnnImageFeaturizer.ResNet18", m.Message);
    }

    [Fact]
    public void A_foreign_file_is_invalid_data()
    {
        using var file = new TempFile(".onnx");
        File.WriteAllText(file.Path, "this is not a protobuf at all, just some text\n");
        var e = Assert.Throws<InvalidDataException>(() => ResNet18Onnx.Import(file.Path));
        Assert.Contains(file.Path, e.Message);
        string jpeg = PretrainedFiles.Photos(1)[0];
        Assert.Throws<InvalidDataException>(() => ResNet18Onnx.Import(jpeg));
    }

    [Fact]
    public void A_truncated_model_is_invalid_data()
    {
        using var file = new TempFile(".onnx");
        byte[] bytes = File.ReadAllBytes(PretrainedFiles.ResNet18);
        File.WriteAllBytes(file.Path, bytes[..(bytes.Length / 2)]);
        Assert.Throws<InvalidDataException>(() => ResNet18Onnx.Import(file.Path));
    }

    [Fact]
    public void The_preprocessing_model_is_not_a_trunk()
    {
        var e = Assert.Throws<InvalidDataException>(() => ResNet18Onnx.Import(PretrainedFiles.Preprocess));
        Assert.Contains("Split", e.Message);
    }

    [Fact]
    public void A_changed_op_type_saved_to_a_file_names_the_node()
    {
        ModelProto model = PretrainedFiles.Model.Clone();
        NodeProto relu = model.Graph.Node.First(n => n.Name == "ReLU289");
        relu.OpType = "Sigmoid";
        using TempFile file = PretrainedFiles.Save(model);
        var e = Assert.Throws<InvalidDataException>(() => ResNet18Onnx.Import(file.Path));
        Assert.Contains("'ReLU289' (Sigmoid)", e.Message);
    }

    [Fact]
    public void A_dropped_node_names_the_node_that_no_longer_fits()
    {
        ModelProto model = PretrainedFiles.Model.Clone();
        NodeProto relu = model.Graph.Node.First(n => n.Name == "ReLU261");
        model.Graph.Node.Remove(relu);
        var e = Assert.Throws<InvalidDataException>(() => Walk(model));
        Assert.Contains("BatchNormalization259", e.Message);
    }

    [Fact]
    public void A_known_op_in_the_wrong_place_names_it()
    {
        ModelProto model = PretrainedFiles.Model.Clone();
        model.Graph.Node.First(n => n.Name == "ReLU253").OpType = "Identity";
        var e = Assert.Throws<InvalidDataException>(() => Walk(model));
        Assert.Contains("Pooling255", e.Message);
    }

    [Fact]
    public void A_shortcut_wired_to_the_wrong_value_names_the_Add()
    {
        ModelProto model = PretrainedFiles.Model.Clone();
        NodeProto add = model.Graph.Node.First(n => n.Name == "Plus281");
        add.Input[1] = "ReLU261_Output_0";
        var e = Assert.Throws<InvalidDataException>(() => Walk(model));
        Assert.Contains("Plus281", e.Message);
    }

    [Fact]
    public void A_weight_of_the_wrong_shape_names_the_node()
    {
        ModelProto model = PretrainedFiles.Model.Clone();
        NodeProto conv = model.Graph.Node.First(n => n.Name == "Convolution263");
        TensorProto weight = model.Graph.Initializer.First(t => t.Name == conv.Input[1]);
        weight.Dims[1] = 32;
        var e = Assert.Throws<InvalidDataException>(() => Walk(model));
        Assert.Contains("Convolution263", e.Message);
    }

    [Fact]
    public void A_grouped_convolution_or_a_bias_is_refused()
    {
        ModelProto grouped = PretrainedFiles.Model.Clone();
        grouped.Graph.Node.First(n => n.Name == "Convolution271").Attribute.First(a => a.Name == "group").I = 2;
        Assert.Contains("Convolution271", Assert.Throws<InvalidDataException>(() => Walk(grouped)).Message);

        ModelProto biased = PretrainedFiles.Model.Clone();
        NodeProto conv = biased.Graph.Node.First(n => n.Name == "Convolution271");
        conv.Input.Add("Parameter144");
        Assert.Contains("Convolution271", Assert.Throws<InvalidDataException>(() => Walk(biased)).Message);
    }

    [Fact]
    public void A_local_average_pool_is_not_global()
    {
        ModelProto model = PretrainedFiles.Model.Clone();
        AttributeProto kernel = model.Graph.Node.First(n => n.Name == "Pooling395").Attribute.First(a => a.Name == "kernel_shape");
        kernel.Ints[0] = 3;
        kernel.Ints[1] = 3;
        var e = Assert.Throws<InvalidDataException>(() => Walk(model));
        Assert.Contains("Pooling395", e.Message);
        Assert.Contains("global", e.Message);
    }

    [Fact]
    public void An_extra_node_is_named()
    {
        ModelProto model = PretrainedFiles.Model.Clone();
        model.Graph.Node.Add(new NodeProto { Name = "Stray", OpType = "Relu", Input = { "ReLU253_Output_0" }, Output = { "stray_out" } });
        var e = Assert.Throws<InvalidDataException>(() => Walk(model));
        Assert.Contains("Stray", e.Message);
    }

    [Fact]
    public void Dropping_a_block_is_a_different_but_valid_layout()
    {
        // Removing layer4.2 (Convolution381 … ReLU393 rewired) leaves a 2-2-2-2 torchvision-shaped ResNet-18.
        ModelProto model = PretrainedFiles.Model.Clone();
        string[] drop = ["Convolution381", "BatchNormalization383", "ReLU385", "Convolution387", "BatchNormalization389", "Plus391", "ReLU393"];
        foreach (string name in drop)
        {
            model.Graph.Node.Remove(model.Graph.Node.First(n => n.Name == name));
        }
        model.Graph.Node.First(n => n.Name == "Pooling395").Input[0] = "ReLU379_Output_0";
        ResNetGraphPlan plan = ResNetGraphWalker.Walk(model.Graph);
        Assert.Equal([2, 2, 2, 2], plan.Stages.Select(s => s.Count));
    }

    [Fact]
    public void The_library_does_not_reference_the_model_package_or_the_runtime_natives()
    {
        // The importer reads ONNX with OnnxSharp alone. The library references ONNX Runtime's managed API only (for
        // DshOnnxEncoder); the natives and the 63 MB model package are the application's choice.
        string[] references = typeof(ResNet18Onnx).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        Assert.Contains("OnnxSharp", references);
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.ML", StringComparison.Ordinal) && r != "Microsoft.ML.OnnxRuntime");
        string project = File.ReadAllText(Path.Combine(Support.RepoPaths.Root, "src", "Dsh", "Dsh.csproj"));
        Assert.DoesNotContain("DnnImageFeaturizer", project);
        Assert.DoesNotContain("\"Microsoft.ML.OnnxRuntime\"", project);
        Assert.Contains("\"Microsoft.ML.OnnxRuntime.Managed\"", project);
    }

    private static ResNetGraphPlan Walk(ModelProto model) => ResNetGraphWalker.Walk(model.Graph);
}
