using Dsh.Model;
using Dsh.Tests.Support;
using Dsh.Trunks;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Model;

public class DshNetworkTests
{
    private static DshNetwork Compact(int k = 32, TokenBatchNorm bn = TokenBatchNorm.PerBranch)
    {
        torch.manual_seed(11);
        return new DshNetwork(DshArchitecture.Compact(k) with { TokenBatchNorm = bn });
    }

    private static Tensor Images(long n, int size, int seed) =>
        torch.rand(new[] { n, 3L, size, size }, generator: new torch.Generator((ulong)seed));

    [Fact]
    public void Paper_ForwardShapes()
    {
        using var scope = NewDisposeScope();
        using var network = new DshNetwork(DshArchitecture.Paper(64));
        var a = network.Architecture;
        Tensor sketch = Images(2, a.SketchInputSize, 1);
        Tensor photo = Images(2, a.PhotoInputSize, 2);

        Assert.Equal(new long[] { 2, 256, 7, 7 }, network.SketchTrunk.forward(sketch, SketchBranch.Token).shape);
        Assert.Equal(new long[] { 2, 256, 7, 7 }, network.PhotoTrunk.forward(photo).shape);
        Assert.Equal(new long[] { 2, 64 }, network.EncodeSketch(sketch).shape);
        Assert.Equal(new long[] { 2, 64 }, network.EncodePhoto(photo, sketch).shape);
    }

    [Fact]
    public void StateDictKeys_ReadWell()
    {
        using var network = Compact();
        var keys = network.state_dict().Keys.ToHashSet();
        string[] expected =
        {
            "sketch_trunk.conv1.weight", "sketch_trunk.conv1.bias", "sketch_trunk.conv2_1.weight", "sketch_trunk.conv2_2.weight",
            "sketch_trunk.conv3_1.weight", "sketch_trunk.conv3_2.bias",
            "sketch_trunk.sketch_bn.0.weight", "sketch_trunk.sketch_bn.4.running_var", "sketch_trunk.token_bn.0.bias",
            "sketch_trunk.token_bn.4.running_mean",
            "sketch_head.fc_a.weight", "sketch_head.fc_b.bias", "sketch_head.fc_code.weight",
            "photo_trunk.conv1.weight", "photo_trunk.conv2.weight", "photo_trunk.conv5.bias",
            "fusion.fc_a.weight", "fusion.fc6.weight", "fusion.fc_b.weight", "fusion.fc7.bias", "fusion.fc_code.weight",
        };
        foreach (string key in expected)
        {
            Assert.Contains(key, keys);
        }
        Assert.DoesNotContain(keys, k => k.Contains("drop", StringComparison.Ordinal) || k.Contains("pool", StringComparison.Ordinal));

        using var shared = Compact(bn: TokenBatchNorm.Shared);
        Assert.DoesNotContain(shared.state_dict().Keys, k => k.Contains("token_bn", StringComparison.Ordinal));
    }

    [Fact]
    public void SharedConvolutions_AreListedOnce_AndLearnFromBothBranches()
    {
        using var network = Compact();
        var parameters = network.parameters().ToList();
        Assert.Equal(parameters.Count, parameters.Select(p => p.Handle).Distinct().Count());
        Assert.Equal(network.named_parameters().Count(), parameters.Count);

        using var scope = NewDisposeScope();
        var a = network.Architecture;
        network.train();
        network.ForwardPhoto(Images(4, a.PhotoInputSize, 3), Images(4, a.SketchInputSize, 4)).sum().backward();

        var conv1 = network.CaffeSketchTrunk().Convolutions[0];
        Assert.NotNull(conv1.weight!.grad);
        Assert.True(conv1.weight.grad!.abs().sum().item<float>() > 0);
        Assert.All(network.CaffeSketchTrunk().BatchNorms(SketchBranch.Token), bn => Assert.NotNull(bn.weight!.grad));
        Assert.All(network.CaffeSketchTrunk().BatchNorms(SketchBranch.Sketch), bn => Assert.Null(bn.weight!.grad));
        Assert.All(network.SketchHead.Layers, fc => Assert.Null(fc.weight!.grad));
    }

    [Fact]
    public void PerBranchBatchNorm_KeepsSeparateRunningStatistics()
    {
        using var network = Compact();
        using var scope = NewDisposeScope();
        var a = network.Architecture;
        Tensor sketchMean = network.CaffeSketchTrunk().BatchNorms(SketchBranch.Sketch)[0].running_mean!.clone();
        Tensor tokenMean = network.CaffeSketchTrunk().BatchNorms(SketchBranch.Token)[0].running_mean!.clone();
        network.train();
        using (torch.no_grad())
        {
            network.ForwardSketch(Images(4, a.SketchInputSize, 5));
        }
        Assert.False(network.CaffeSketchTrunk().BatchNorms(SketchBranch.Sketch)[0].running_mean!.eq(sketchMean).all().item<bool>());
        Assert.True(network.CaffeSketchTrunk().BatchNorms(SketchBranch.Token)[0].running_mean!.eq(tokenMean).all().item<bool>());
    }

    [Fact]
    public void Encode_IsEvalModeWithoutGradients_AndRestoresTheMode()
    {
        using var network = Compact();
        using var scope = NewDisposeScope();
        var a = network.Architecture;
        Tensor sketches = Images(5, a.SketchInputSize, 6);
        network.train();

        Tensor first = network.EncodeSketch(sketches);
        Tensor second = network.EncodeSketch(sketches, batchSize: 2);

        Assert.True(network.training);
        Assert.False(first.requires_grad);
        Assert.True(first.allclose(second, rtol: 1e-5, atol: 1e-6)); // no dropout, batch-independent BN
        Tensor oneByOne = torch.cat(Enumerable.Range(0, 5).Select(i => network.EncodeSketch(sketches.narrow(0, i, 1))).ToList(), 0);
        Assert.True(first.allclose(oneByOne, rtol: 1e-5, atol: 1e-6));

        network.eval();
        network.EncodePhoto(Images(2, a.PhotoInputSize, 7), Images(2, a.SketchInputSize, 8));
        Assert.False(network.training);
    }

    [Fact]
    public void TrainingForward_UsesDropout()
    {
        using var network = Compact();
        using var scope = NewDisposeScope();
        var a = network.Architecture;
        Tensor photos = Images(3, a.PhotoInputSize, 9);
        Tensor tokens = Images(3, a.SketchInputSize, 10);
        network.train();
        Tensor x = network.ForwardPhoto(photos, tokens);
        Tensor y = network.ForwardPhoto(photos, tokens);
        Assert.True(x.requires_grad);
        Assert.False(x.allclose(y));
    }

    [Fact]
    public void Codes_AreTheSignsOfTheOutputs()
    {
        using var network = Compact(k: 48);
        using var scope = NewDisposeScope();
        var a = network.Architecture;
        Tensor photos = Images(6, a.PhotoInputSize, 12);
        Tensor tokens = Images(6, a.SketchInputSize, 13);

        float[] outputs = network.EncodePhoto(photos, tokens).data<float>().ToArray();
        var codes = network.EncodePhotoCodes(photos, tokens);

        Assert.Equal((6, 48), (codes.Count, codes.CodeLength));
        for (int i = 0; i < 6; i++)
        {
            var code = codes[i];
            for (int b = 0; b < 48; b++)
            {
                Assert.Equal(outputs[i * 48 + b] > 0, code[b]);
            }
        }
        Assert.Equal(6, network.EncodeSketchCodes(tokens).Count);
    }

    [Fact]
    public void PaperFillers_AreApplied()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        using var network = new DshNetwork(DshArchitecture.Compact(32) with { Initialization = DshInitialization.PaperFillers });
        var convs = network.CaffeSketchTrunk().Convolutions;
        Assert.Equal(0f, convs[0].bias!.abs().max().item<float>());
        Assert.Equal(1f, convs[1].bias!.min().item<float>());
        Assert.InRange(convs[4].weight!.std().item<float>(), 0.0095, 0.0105);
        Assert.InRange(network.FusionHead.Layers[0].weight!.std().item<float>(), 0.0049, 0.0051);
        Assert.Equal(1f, network.FusionHead.Layers[0].bias!.min().item<float>());
        Assert.Equal(0f, network.FusionHead.Layers[^1].bias!.abs().max().item<float>());
        Assert.Equal(new[] { 0f, 1f, 0f, 1f, 1f }, network.AlexNetPhotoTrunk().Convolutions.Select(c => c.bias!.mean().item<float>()));
    }

    [Fact]
    public void ATokenInputSizeOfItsOwn_TakesTokenMapsOfThatSize_AndRefusesOthers()
    {
        using var network = new DshNetwork(DshArchitecture.ResNet18(16) with { TokenInputSize = 128 });
        using var scope = torch.NewDisposeScope();
        torch.Tensor photos = torch.randn(2, 3, 224, 224);
        Assert.Equal([2L, 16], network.EncodePhoto(photos, torch.randn(2, 3, 128, 128)).shape);
        var e = Assert.Throws<ArgumentException>(() => network.EncodePhoto(photos, torch.randn(2, 3, 224, 224)));
        Assert.Equal("sketchTokens", e.ParamName);
        Assert.Equal([2L, 16], network.EncodeSketch(torch.randn(2, 3, 224, 224)).shape); // sketches keep their size
    }
}
