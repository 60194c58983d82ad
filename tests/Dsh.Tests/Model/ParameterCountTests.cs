using Dsh.Model;
using Dsh.Tests.Support;
using Dsh.Trunks;

namespace Dsh.Tests.Model;

/// <summary>Exact learnable-parameter counts of the paper profile (docs: dsh-paper-notes §2.3) and of the compact one.</summary>
public class ParameterCountTests
{
    [Theory]
    [InlineData(32, 281_468_160L)]
    [InlineData(128, 281_763_264L)]
    [InlineData(256, 282_156_736L)]
    public void Paper_PerBranchBatchNorm(int k, long expected)
    {
        using var network = new DshNetwork(DshArchitecture.Paper(k));
        Assert.Equal(expected, network.ParameterCount);
    }

    [Fact]
    public void Paper_SharedBatchNorm_Has1664Fewer()
    {
        using var network = new DshNetwork(DshArchitecture.Paper(128) with { TokenBatchNorm = TokenBatchNorm.Shared });
        Assert.Equal(281_761_600L, network.ParameterCount);
    }

    [Fact]
    public void Paper_Parts_MatchTheDeployFiles()
    {
        using var network = new DshNetwork(DshArchitecture.Paper(128));
        long Count(TorchSharp.torch.nn.Module m) => m.parameters().Sum(p => p.numel());
        long bn = network.CaffeSketchTrunk().BatchNorms(SketchBranch.Sketch).Sum(Count);
        Assert.Equal(1_664, bn);
        Assert.Equal(1_144_384L + 2 * bn, Count(network.SketchTrunk));
        Assert.Equal(56_856_896L, Count(network.SketchTrunk) - bn + Count(network.SketchHead));
        Assert.Equal(2_334_080L, Count(network.PhotoTrunk));
        Assert.Equal(222_570_624L, Count(network.FusionHead));
    }

    [Fact]
    public void Compact_Count()
    {
        using var network = new DshNetwork(DshArchitecture.Compact(128));
        // sketch convs 278,432 + 2 × BN 832 + sketch head 754,560 + photo convs 578,752 + fusion 2,950,784 (docs/model.md).
        Assert.Equal(4_564_192L, network.ParameterCount);
        Assert.Equal(ExpectedCompact(128), network.ParameterCount);
    }

    /// <summary>The compact profile's count written out layer by layer.</summary>
    internal static long ExpectedCompact(int k)
    {
        static long Conv(long cin, long cout, long kernel, long groups = 1) => cin / groups * cout * kernel * kernel + cout;
        static long Fc(long cin, long cout) => cin * cout + cout;
        long sketchConvs = Conv(3, 32, 4) + Conv(32, 64, 3) + Conv(64, 64, 3) + Conv(64, 128, 3) + Conv(128, 128, 3);
        long bn = 2 * (32 + 64 + 64 + 128 + 128);
        long sketchHead = Fc(128 * 9, 512) + Fc(512, 256) + Fc(256, k);
        long photo = Conv(3, 48, 5) + Conv(48, 128, 5, 2) + Conv(128, 192, 3) + Conv(192, 192, 3, 2) + Conv(192, 128, 3, 2);
        long fusion = 2 * Fc(256 * 9, 512) + 2 * Fc(1024, 256) + Fc(512, k);
        return sketchConvs + 2 * bn + sketchHead + photo + fusion;
    }
}
