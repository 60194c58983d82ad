using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests;

/// <summary>
/// Binds the names issue #4 lists under "Public surface that outside checks compile against": if one is
/// renamed or its signature changes, this file stops compiling.
/// </summary>
public class PublicSurfaceTests
{
    [Fact]
    public void Issue4Contract_Binds()
    {
        Func<int, DshArchitecture> paper = DshArchitecture.Paper;
        Func<int, DshArchitecture> compact = DshArchitecture.Compact;
        DshArchitecture a = compact(32);
        int k = a.CodeLength, s = a.SketchInputSize, p = a.PhotoInputSize;
        Assert.Equal((32, 64, 64), (k, s, p));
        Assert.Equal((128, 200, 227), (paper(128).CodeLength, paper(128).SketchInputSize, paper(128).PhotoInputSize));

        using DshNetwork network = new DshNetwork(a);
        nn.Module module = network;
        Assert.NotNull(module);
        Func<Tensor, Tensor> encodeSketch = network.EncodeSketch;
        Func<Tensor, Tensor, Tensor> encodePhoto = network.EncodePhoto;

        using var scope = NewDisposeScope();
        Assert.Equal(new long[] { 2, 32 }, encodeSketch(torch.rand(2, 3, s, s)).shape);
        Assert.Equal(new long[] { 3, 32 }, encodePhoto(torch.rand(3, 3, p, p), torch.rand(3, 3, s, s)).shape);
    }
}
