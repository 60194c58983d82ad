using Dsh.Model;
using Dsh.Tests.Support;
using Dsh.Trunks;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Model;

/// <summary>
/// Pins what shapes alone cannot: which trunk feeds which half of the fusion input, the order of the parallel
/// branches, where LRN and pooling sit, each dropout's probability, and that the shared convolutions learn
/// from both branches. The expected values are computed here by hand from the network's own weights.
/// </summary>
public class LayerOrderTests
{
    private static DshNetwork Network(int k = 16)
    {
        torch.manual_seed(5);
        var network = new DshNetwork(DshArchitecture.Compact(k));
        network.eval();
        return network;
    }

    private static Tensor Rand(long n, int size, int seed) =>
        torch.rand(new[] { n, 3L, size, size }, generator: new torch.Generator((ulong)seed));

    private static Tensor Linear(Linear layer, Tensor x) => x.matmul(layer.weight!.T).add(layer.bias!);

    [Fact]
    public void PhotoSide_FusesTokensFirst_ThroughTheParallelBranchesInOrder()
    {
        using var network = Network();
        using var scope = NewDisposeScope();
        var a = network.Architecture;
        Tensor photos = Rand(3, a.PhotoInputSize, 1), tokens = Rand(3, a.SketchInputSize, 2);

        Tensor expected;
        using (torch.no_grad())
        {
            Tensor tokenFeatures = network.SketchTrunk.forward(tokens, SketchBranch.Token).flatten(1);
            Tensor photoFeatures = network.PhotoTrunk.forward(photos).flatten(1);
            Tensor x = torch.cat(new[] { tokenFeatures, photoFeatures }, 1); // tokens first (deploy concat1)
            var l = network.FusionHead.Layers; // fc_a, fc6, fc_b, fc7, fc_code
            Tensor x2 = torch.cat(new[] { Linear(l[0], x).relu(), Linear(l[1], x).relu() }, 1);
            Tensor x3 = torch.cat(new[] { Linear(l[2], x2).relu(), Linear(l[3], x2).relu() }, 1);
            expected = Linear(l[4], x3);
        }

        Assert.True(network.EncodePhoto(photos, tokens).allclose(expected, rtol: 1e-4, atol: 1e-5));
        // Swapping the inputs of the fusion (photo first) gives something else: the test can fail.
        using (torch.no_grad())
        {
            Tensor swapped = network.FusionHead.forward(network.PhotoTrunk.forward(photos), network.SketchTrunk.forward(tokens, SketchBranch.Token));
            Assert.False(swapped.allclose(expected, rtol: 1e-4, atol: 1e-5));
        }
    }

    [Fact]
    public void PhotoTrunk_IsCaffeNetOrder_PoolThenLrn()
    {
        using var network = Network();
        using var scope = NewDisposeScope();
        var a = network.Architecture;
        Tensor photos = Rand(2, a.PhotoInputSize, 3);
        var c = network.AlexNetPhotoTrunk().Convolutions;
        var lrn = nn.LocalResponseNorm(5, 1e-4, 0.75, 1.0);
        var pool = nn.MaxPool2d(3, stride: 2);
        var pool5 = nn.MaxPool2d(3, stride: 2, padding: 1);

        using var noGrad = torch.no_grad();
        Tensor x = lrn.forward(pool.forward(c[0].forward(photos).relu()));
        x = lrn.forward(pool.forward(c[1].forward(x).relu()));
        x = c[4].forward(c[3].forward(c[2].forward(x).relu()).relu()).relu();
        Tensor expected = pool5.forward(x);

        Assert.True(network.PhotoTrunk.forward(photos).allclose(expected, rtol: 1e-4, atol: 1e-6));
        Assert.Equal(2, c[1].groups);
        Assert.Equal(1, c[2].groups);
        Assert.Equal(2, c[3].groups);
        Assert.Equal(2, c[4].groups);
    }

    [Fact]
    public void SketchTrunk_ConvBatchNormReluThenPool_WithTheBranchsOwnNorms()
    {
        using var network = Network();
        using var scope = NewDisposeScope();
        var a = network.Architecture;
        Tensor tokens = Rand(2, a.SketchInputSize, 4);
        var c = network.CaffeSketchTrunk().Convolutions;
        var bn = network.CaffeSketchTrunk().BatchNorms(SketchBranch.Token);
        // Make the two branches' norms differ, so using the wrong one shows.
        using (torch.no_grad())
        {
            bn[2].weight!.mul_(3);
        }
        var pool = nn.MaxPool2d(3, stride: 2);

        using var noGrad = torch.no_grad();
        Tensor Block(int i, Tensor t) => bn[i].forward(c[i].forward(t)).relu();
        Tensor x = pool.forward(Block(0, tokens));
        x = pool.forward(Block(2, Block(1, x)));
        Tensor expected = pool.forward(Block(4, Block(3, x)));

        Assert.True(network.SketchTrunk.forward(tokens, SketchBranch.Token).allclose(expected, rtol: 1e-4, atol: 1e-6));
        Assert.False(network.SketchTrunk.forward(tokens, SketchBranch.Sketch).allclose(expected, rtol: 1e-4, atol: 1e-6));
    }

    [Fact]
    public void Dropouts_HaveTheDeployFilesProbabilities()
    {
        using var network = new DshNetwork(DshArchitecture.Paper(32) with { SketchHead = DshArchitecture.Paper(32).SketchHead with { Dropout = new[] { 0.1, 0.2 } }, FusionHead = DshArchitecture.Paper(32).FusionHead with { DropoutA = new[] { 0.3, 0.35 }, DropoutB = new[] { 0.4, 0.45 } } });
        var p = network.named_modules().Where(m => m.module is Dropout).ToDictionary(m => m.name, m => ((Dropout)m.module).p);
        Assert.Equal(new Dictionary<string, double>
        {
            ["sketch_head.drop_a"] = 0.1, ["sketch_head.drop_b"] = 0.2,
            ["fusion.drop_a1"] = 0.3, ["fusion.drop_a2"] = 0.35,
            ["fusion.drop_b1"] = 0.4, ["fusion.drop_b2"] = 0.45,
        }, p);
        var paper = DshArchitecture.Paper(32);
        Assert.Equal(new[] { 0.25, 0.25 }, paper.SketchHead.Dropout);
        Assert.Equal(new[] { 0.3, 0.3 }, paper.FusionHead.DropoutA);
        Assert.Equal(new[] { 0.4, 0.4 }, paper.FusionHead.DropoutB);
    }

    [Fact]
    public void FusionDropouts_SitOnTheirBranches()
    {
        // Only the fc6/fc7 branch drops (p = 0.9): in training mode its hidden units are mostly zero, fc_a's never.
        torch.manual_seed(8);
        using var network = new DshNetwork(DshArchitecture.Compact(16) with { FusionHead = DshArchitecture.Compact(16).FusionHead with { DropoutA = new[] { 0.0, 0.0 }, DropoutB = new[] { 0.9, 0.9 } } });
        using var scope = NewDisposeScope();
        var a = network.Architecture;
        network.train();
        var dropB1 = network.named_modules().Single(m => m.name == "fusion.drop_b1").module;
        Assert.Equal(0.9, ((Dropout)dropB1).p);
        // Through the whole head: outputs still vary between calls only because branch B drops.
        Tensor photos = Rand(4, a.PhotoInputSize, 6), tokens = Rand(4, a.SketchInputSize, 7);
        Tensor y1 = network.ForwardPhoto(photos, tokens), y2 = network.ForwardPhoto(photos, tokens);
        Assert.False(y1.allclose(y2));
        using var zeroB = torch.no_grad();
        foreach (var fc in new[] { network.FusionHead.Layers[1], network.FusionHead.Layers[3] })
        {
            fc.weight!.zero_();
            fc.bias!.zero_();
        }
        Tensor z1 = network.ForwardPhoto(photos, tokens), z2 = network.ForwardPhoto(photos, tokens);
        Assert.True(z1.allclose(z2)); // with branch B silenced nothing random is left (BN in train mode is deterministic)
    }

    [Fact]
    public void SharedConvolutions_GetTheSumOfBothBranchesGradients()
    {
        using var network = Network();
        using var scope = NewDisposeScope();
        var a = network.Architecture;
        Tensor sketches = Rand(3, a.SketchInputSize, 9), photos = Rand(3, a.PhotoInputSize, 10), tokens = Rand(3, a.SketchInputSize, 11);
        Tensor weight = network.CaffeSketchTrunk().Convolutions[2].weight!;

        Tensor Grad(bool sketch, bool photo)
        {
            network.zero_grad();
            Tensor loss = torch.zeros(1);
            if (sketch)
            {
                loss = loss + network.ForwardSketch(sketches).square().sum();
            }
            if (photo)
            {
                loss = loss + network.ForwardPhoto(photos, tokens).square().sum();
            }
            loss.backward();
            return weight.grad!.clone();
        }

        Tensor fromSketch = Grad(true, false), fromPhoto = Grad(false, true), fromBoth = Grad(true, true);
        Assert.True(fromSketch.abs().sum().item<float>() > 0);
        Assert.True(fromPhoto.abs().sum().item<float>() > 0);
        Assert.True(fromBoth.allclose(fromSketch + fromPhoto, rtol: 1e-4, atol: 1e-7));
    }

    [Fact]
    public void Encode_RestoresEachModulesOwnMode()
    {
        using var network = Network();
        using var scope = NewDisposeScope();
        network.train();
        var frozen = network.CaffeSketchTrunk().BatchNorms(SketchBranch.Sketch)[1];
        frozen.eval(); // a user freezing one batch norm
        network.EncodeSketch(Rand(2, network.Architecture.SketchInputSize, 12));
        Assert.False(frozen.training);
        Assert.True(network.training);
        Assert.True(network.CaffeSketchTrunk().BatchNorms(SketchBranch.Sketch)[0].training);
        Assert.True(network.SketchHead.training);
    }
}
