using Dsh.Trunks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dsh.Tests.Trunks;

/// <summary><see cref="HeldBatchNorm2d"/> is TorchSharp's <c>BatchNorm2d</c> in every observable way.</summary>
public sealed class HeldBatchNorm2dTests
{
    [Fact]
    public void StateDict_HasTorchSharpsKeysShapesAndTypes()
    {
        using var held = new HeldBatchNorm2d(5);
        using var theirs = nn.BatchNorm2d(5);
        var ours = held.state_dict();
        var expected = theirs.state_dict();
        Assert.Equal(expected.Keys.Order(), ours.Keys.Order());
        foreach (var (key, value) in expected)
        {
            Assert.Equal(value.shape, ours[key].shape);
            Assert.Equal(value.dtype, ours[key].dtype);
            Assert.True(value.eq(ours[key]).all().item<bool>(), key);
        }
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.0)] // running statistics that never move (TorchSharp 0.107; PyTorch reads 0 the same way)
    [InlineData(null)] // a cumulative average over the batches seen
    public void TrainingAndEvaluation_MatchTorchSharpsBatchNorm(double? momentum)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        using var held = new HeldBatchNorm2d(3, eps: 1e-3) { momentum = momentum };
        using var theirs = nn.BatchNorm2d(3, eps: 1e-3);
        theirs.momentum = momentum;
        var weights = randn(3, generator: generator);
        var biases = randn(3, generator: generator);
        foreach (BatchNorm norm in new BatchNorm[] { held, theirs })
        {
            using (no_grad())
            {
                norm.weight.copy_(weights);
                norm.bias!.copy_(biases);
            }
        }
        for (int step = 0; step < 3; step++)
        {
            var batch = randn([4, 3, 5, 5], generator: generator).mul_(step + 1);
            AssertSame(theirs.forward(batch), held.forward(batch));
        }
        Assert.Equal(3L, held.num_batches_tracked!.item<long>());
        AssertSame(theirs.running_mean!, held.running_mean!);
        AssertSame(theirs.running_var!, held.running_var!);

        held.eval();
        theirs.eval();
        var probe = randn([2, 3, 5, 5], generator: generator);
        AssertSame(theirs.forward(probe), held.forward(probe));
        Assert.Equal(3L, held.num_batches_tracked!.item<long>()); // evaluation counts nothing
    }

    [Fact]
    public void Forward_RejectsInputThatIsNotFourDimensional()
    {
        using var held = new HeldBatchNorm2d(3);
        using var flat = zeros(2, 3);
        var error = Assert.Throws<ArgumentException>(() => held.forward(flat));
        Assert.Contains("[N, C, H, W]", error.Message, StringComparison.Ordinal);
    }

    private static void AssertSame(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(expected.allclose(actual, rtol: 0, atol: 1e-6), $"largest difference {expected.sub(actual).abs().max().item<float>()}");
    }
}
