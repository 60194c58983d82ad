using Dsh.Pretrained;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Dsh.Tests.Pretrained;

/// <summary>ResNet18.onnx imports into a ResNet18Trunk with the expected layout, keys, count and shapes.</summary>
public sealed class ResNet18ImportTests(ImportedTrunkFixture fixture, ITestOutputHelper output) : IClassFixture<ImportedTrunkFixture>
{
    private ResNet18Trunk Trunk => fixture.Trunk;

    [Fact]
    public void The_shipped_file_sits_at_the_default_path()
    {
        Assert.True(File.Exists(ResNet18Onnx.DefaultPath), ResNet18Onnx.DefaultPath);
        Assert.True(File.Exists(ResNetPreprocessing.DefaultPath), ResNetPreprocessing.DefaultPath);
        Assert.EndsWith(Path.Combine("DnnImageModels", "ResNet18Onnx", "ResNet18.onnx"), ResNet18Onnx.DefaultPath);
        Assert.StartsWith(AppContext.BaseDirectory, ResNet18Onnx.DefaultPath);
    }

    [Fact]
    public void The_import_finds_2_2_2_3_blocks_and_every_parameter()
    {
        Assert.Equal([2, 2, 2, 3], Trunk.BlocksPerStage);
        long parameters = Trunk.parameters().Sum(p => p.numel());
        long buffers = Trunk.named_buffers().Where(b => !b.name.EndsWith("num_batches_tracked", StringComparison.Ordinal)).Sum(b => b.buffer.numel());
        output.WriteLine($"parameters {parameters:N0}, running statistics {buffers:N0}, initializer values {parameters + buffers:N0}");
        // Convolutions 15,885,504 + batch norm 2 × 5,824 channels; with the running statistics that is every one of
        // the file's 15,908,800 initializer values (110 initializers).
        Assert.Equal(15_897_152, parameters);
        Assert.Equal(15_908_800, parameters + buffers);
        int tensors = Trunk.parameters().Count() + Trunk.named_buffers().Count(b => !b.name.EndsWith("num_batches_tracked", StringComparison.Ordinal));
        Assert.Equal(110, tensors);
    }

    [Fact]
    public void A_torchvision_layout_trunk_has_the_ResNet18_count_without_fc()
    {
        using var trunk = new ResNet18Trunk([2, 2, 2, 2]);
        // torchvision's resnet18 has 11,689,512 parameters, of which fc holds 513,000.
        Assert.Equal(11_689_512 - 513_000, trunk.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void State_dict_keys_are_torchvision_names()
    {
        string[] keys = Trunk.state_dict().Keys.ToArray();
        Assert.Contains("conv1.weight", keys);
        Assert.Contains("bn1.running_var", keys);
        Assert.Contains("layer1.0.conv1.weight", keys);
        Assert.Contains("layer2.0.downsample.0.weight", keys);
        Assert.Contains("layer2.0.downsample.1.running_mean", keys);
        Assert.Contains("layer4.2.bn2.bias", keys);
        Assert.DoesNotContain(keys, k => k.StartsWith("layer1.0.downsample", StringComparison.Ordinal));
        Assert.DoesNotContain(keys, k => k.StartsWith("fc", StringComparison.Ordinal));
        Assert.Equal(new long[] { 64, 3, 7, 7 }, Trunk.state_dict()["conv1.weight"].shape);
        Assert.Equal(new long[] { 512, 256, 1, 1 }, Trunk.state_dict()["layer4.0.downsample.0.weight"].shape);
    }

    [Fact]
    public void The_file_geometry_is_taken_over()
    {
        Assert.Equal(SpatialPadding.Explicit(3, 3, 2, 2), Trunk.Conv1.Padding);
        Assert.Equal(new long[] { 2, 2 }, Trunk.Conv1.Stride);
        Assert.Equal(SpatialPadding.Explicit(1, 1, 0, 0), Trunk.MaxPool.Padding);
        Assert.Equal(SpatialPadding.Explicit(1, 1, 0, 0), Trunk.Blocks[1][0].Conv1.Padding);
        Assert.Equal(new long[] { 2, 2 }, Trunk.Blocks[3][0].DownsampleConv!.Stride);
        Assert.Equal(1e-5, Trunk.Bn1.eps, 1e-9);
    }

    [Theory]
    [InlineData(224)]
    [InlineData(160)]
    [InlineData(193)]
    public void Features_are_512_wide_at_any_input_size(int size)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor x = randn(2, 3, size, size) * 50;
        Tensor features = Trunk.forward(x);
        Assert.Equal(new long[] { 2, 512 }, features.shape);
        Assert.True(features.isfinite().all().item<bool>());
        Assert.True(features.ge(0).all().item<bool>(), "pooled ReLU outputs are non-negative");
    }

    [Fact]
    public void Stages_compose_to_the_full_forward()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor x = randn(2, 3, 128, 128) * 50;
        Tensor full = Trunk.forward(x);
        long[][] shapes = [[2, 64, 32, 32], [2, 64, 32, 32], [2, 128, 16, 16], [2, 256, 8, 8], [2, 512, 4, 4]];
        for (int stage = 0; stage <= 4; stage++)
        {
            Tensor map = Trunk.ForwardFeatures(x, stage);
            Assert.Equal(shapes[stage], map.shape);
            Assert.True(Trunk.ForwardFromStage(map, stage).allclose(full, rtol: 1e-5, atol: 1e-5), $"stage {stage}");
        }
    }

    [Fact]
    public void A_new_trunk_has_the_shipped_layout_and_loads_the_file()
    {
        using var trunk = new ResNet18Trunk();
        Assert.Equal(ResNet18Trunk.ShippedBlocks, trunk.BlocksPerStage);
        ResNet18Onnx.LoadInto(trunk, PretrainedFiles.ResNet18);
        foreach ((string name, Tensor value) in Trunk.state_dict())
        {
            Assert.True(value.eq(trunk.state_dict()[name]).all().item<bool>(), name);
        }
    }

    [Fact]
    public void Loading_into_a_trunk_of_another_layout_names_the_difference()
    {
        using var trunk = new ResNet18Trunk([2, 2, 2, 2]);
        var e = Assert.Throws<InvalidDataException>(() => ResNet18Onnx.LoadInto(trunk, PretrainedFiles.ResNet18));
        Assert.Contains("[2, 2, 2, 3]", e.Message);
    }
}
