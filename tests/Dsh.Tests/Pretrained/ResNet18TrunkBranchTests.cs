using Dsh.Pretrained;
using Dsh.Trunks;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Pretrained;

/// <summary><see cref="ResNet18Trunk"/> with a sketch-token branch: its keys and count, the branch overloads, freezing.</summary>
public class ResNet18TrunkBranchTests
{
    private static Tensor Images(long n, int size, int seed) =>
        torch.rand(new[] { n, 3L, size, size }, generator: new torch.Generator((ulong)seed)).mul(255).sub(120);

    private static long Count(nn.Module m) => m.parameters().Sum(p => p.numel());

    /// <summary>Weight + bias of every batch norm of the trunk.</summary>
    private static long NormParameters(ResNet18Trunk trunk) =>
        trunk.named_parameters().Where(p => p.name.Contains("bn", StringComparison.Ordinal) || p.name.Contains("downsample.1", StringComparison.Ordinal))
            .Sum(p => p.parameter.numel());

    [Theory]
    [InlineData(new[] { 2, 2, 2, 3 }, 15_897_152L, 11_648L)]
    [InlineData(new[] { 2, 2, 2, 2 }, 11_176_512L, 9_600L)]
    [InlineData(new[] { 1, 1, 1, 1 }, 4_905_792L, 5_760L)]
    public void TokenBranch_AddsExactlyTheBatchNormParameters(int[] blocks, long plain, long norms)
    {
        using var without = new ResNet18Trunk(blocks);
        using var with = new ResNet18Trunk(blocks, tokenBranch: true);
        Assert.False(without.HasTokenBranch);
        Assert.True(with.HasTokenBranch);
        Assert.Equal(plain, Count(without));
        Assert.Equal(norms, NormParameters(without));
        Assert.Equal(plain + norms, Count(with));
        using var explicitWithout = new ResNet18Trunk(blocks, tokenBranch: false);
        Assert.Equal(without.state_dict().Keys, explicitWithout.state_dict().Keys);
    }

    [Fact]
    public void TokenKeys_TwinEveryBatchNorm()
    {
        using var trunk = new ResNet18Trunk(ResNet18Trunk.ShippedBlocks, tokenBranch: true);
        var keys = trunk.state_dict().Keys.ToHashSet();
        foreach (string key in keys.Where(k => !k.Contains("token_", StringComparison.Ordinal)))
        {
            string? twin = key switch
            {
                _ when key.StartsWith("bn1.", StringComparison.Ordinal) => "token_" + key,
                _ when key.Contains(".bn1.", StringComparison.Ordinal) => key.Replace(".bn1.", ".token_bn1.", StringComparison.Ordinal),
                _ when key.Contains(".bn2.", StringComparison.Ordinal) => key.Replace(".bn2.", ".token_bn2.", StringComparison.Ordinal),
                _ when key.Contains(".downsample.1.", StringComparison.Ordinal) => key.Replace(".downsample.1.", ".token_downsample_bn.", StringComparison.Ordinal),
                _ => null,
            };
            if (twin is not null)
            {
                Assert.Contains(twin, keys);
            }
        }
        Assert.Contains("layer4.2.token_bn2.running_var", keys);
        Assert.Contains("layer3.0.token_downsample_bn.weight", keys);
        Assert.DoesNotContain(keys, k => k.Contains("token_", StringComparison.Ordinal) && k.Contains("conv", StringComparison.Ordinal));
    }

    [Fact]
    public void BranchOverloads_ComposeAndUseTheirOwnNorms()
    {
        torch.manual_seed(4);
        using var trunk = new ResNet18Trunk(ResNet18Trunk.ShippedBlocks, tokenBranch: true);
        trunk.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor x = Images(2, 64, 1);

        // Fresh twins hold the same (default) values: both branches compute the same.
        Tensor sketch = trunk.forward(x, SketchBranch.Sketch);
        Assert.True(sketch.eq(trunk.forward(x)).all().item<bool>());
        Assert.True(sketch.eq(trunk.forward(x, SketchBranch.Token)).all().item<bool>());

        // Change every token norm: only the Token branch sees it, at every stage.
        foreach (var (name, buffer) in trunk.named_buffers().Where(b => b.name.Contains("token_", StringComparison.Ordinal) && b.name.EndsWith("running_mean", StringComparison.Ordinal)))
        {
            buffer.add_(0.5);
        }
        Tensor token = trunk.forward(x, SketchBranch.Token);
        Assert.True(sketch.eq(trunk.forward(x, SketchBranch.Sketch)).all().item<bool>());
        Assert.False(sketch.allclose(token));
        for (int stage = 0; stage <= 4; stage++)
        {
            foreach (SketchBranch branch in new[] { SketchBranch.Sketch, SketchBranch.Token })
            {
                Tensor map = trunk.ForwardFeatures(x, stage, branch);
                Tensor full = branch == SketchBranch.Token ? token : sketch;
                Assert.True(trunk.ForwardFromStage(map, stage, branch).allclose(full, rtol: 1e-5, atol: 1e-5), $"stage {stage}, {branch}");
            }
            Assert.False(trunk.ForwardFeatures(x, stage, SketchBranch.Token).allclose(trunk.ForwardFeatures(x, stage, SketchBranch.Sketch)), $"stage {stage}");
            Assert.True(trunk.ForwardFeatures(x, stage).eq(trunk.ForwardFeatures(x, stage, SketchBranch.Sketch)).all().item<bool>());
        }
    }

    [Fact]
    public void TrunkWithoutTokenBranch_UsesItsOnlyNormsForTokens()
    {
        torch.manual_seed(5);
        using var trunk = new ResNet18Trunk([1, 1, 1, 1]);
        trunk.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (_, buffer) in trunk.named_buffers().Where(b => b.name.EndsWith("running_mean", StringComparison.Ordinal)))
        {
            buffer.add_(0.25);
        }
        Tensor x = Images(2, 64, 2);
        Assert.True(trunk.forward(x, SketchBranch.Token).eq(trunk.forward(x, SketchBranch.Sketch)).all().item<bool>());
        Assert.True(trunk.ForwardFeatures(x, 2, SketchBranch.Token).eq(trunk.ForwardFeatures(x, 2)).all().item<bool>());
    }

    [Fact]
    public void ForwardFrozen_IsTheEvalModeOutputWithoutGradients_AndRestoresModesAndStatistics()
    {
        torch.manual_seed(6);
        using var trunk = new ResNet18Trunk(ResNet18Trunk.ShippedBlocks, tokenBranch: true);
        trunk.Freeze(2);
        using var scope = NewDisposeScope();
        Tensor x = Images(3, 64, 3);
        trunk.train();
        var before = trunk.named_buffers().ToDictionary(b => b.name, b => b.buffer.clone());

        Tensor frozenSketch = trunk.ForwardFrozen(x, 2, SketchBranch.Sketch);
        Tensor frozenToken = trunk.ForwardFrozen(x, 2, SketchBranch.Token);

        Assert.False(frozenSketch.requires_grad);
        Assert.Equal(new long[] { 3, 128, 8, 8 }, frozenSketch.shape);
        Assert.All(trunk.modules(), m => Assert.True(m.training));
        Assert.All(trunk.named_buffers(), b => Assert.True(b.buffer.eq(before[b.name]).all().item<bool>(), b.name));

        trunk.eval();
        using (no_grad())
        {
            Assert.True(frozenSketch.eq(trunk.ForwardFeatures(x, 2, SketchBranch.Sketch)).all().item<bool>());
            Assert.True(frozenToken.eq(trunk.ForwardFeatures(x, 2, SketchBranch.Token)).all().item<bool>());
        }

        // Freeze(2): the stem (both branches' bn1) and layer1–2 stop learning; layer3–4 still learn.
        foreach (var (name, p) in trunk.named_parameters())
        {
            bool frozen = !name.StartsWith("layer", StringComparison.Ordinal) || name[5] - '0' <= 2;
            Assert.True(frozen != p.requires_grad, name);
        }
    }

    [Fact]
    public void BadStages_AreRejected()
    {
        using var trunk = new ResNet18Trunk([1, 1, 1, 1], tokenBranch: true);
        using var scope = NewDisposeScope();
        Tensor x = Images(1, 32, 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => trunk.ForwardFeatures(x, 5, SketchBranch.Token));
        Assert.Throws<ArgumentOutOfRangeException>(() => trunk.ForwardFromStage(x, -1, SketchBranch.Token));
        Assert.Throws<ArgumentOutOfRangeException>(() => trunk.Freeze(5));
        Assert.Throws<ArgumentException>(() => new ResNet18Trunk([2, 2, 2], tokenBranch: true));
        Assert.Throws<ArgumentNullException>(() => new ResNet18Trunk(null!, tokenBranch: true));
    }
}
