// Fresh-process checks, run by Dsh.Tests:
//   (no argument)      load TorchSharp through Dsh, run a convolution forward and backward, print a result line;
//   first-backward     the first backward pass of a small DSH network in this process must give finite gradients
//                      (oneDNN's AVX-512 convolution backward broke that on AMD processors; see OneDnnIsaGuard).
// Exit codes: 0 ok, 2 DshNativeLibraryException (message on stderr), 3 anything else, 4 non-finite gradients.
using Dsh;
using TorchSharp;
using Dsh.Model;
using Dsh.Native;
using Dsh.Trunks;

try
{
    TorchRuntime.EnsureLoaded();
    using var scope = torch.NewDisposeScope();
    torch.manual_seed(7);
    if (args.Length > 0 && args[0] == "first-backward")
    {
        return FirstBackward();
    }
    var conv = torch.nn.Conv2d(3, 4, 3);
    var x = torch.randn(2, 3, 8, 8, requires_grad: true);
    var y = conv.forward(x).square().sum();
    y.backward();
    double gradNorm = x.grad!.norm().item<float>();
    Console.WriteLine($"torch-ok loss={y.item<float>():G6} grad-norm={gradNorm:G6} threads={torch.get_num_threads()}");
    return gradNorm > 0 ? 0 : 3;
}
catch (DshNativeLibraryException e)
{
    Console.Error.WriteLine($"DshNativeLibraryException: {e.Message}");
    return 2;
}
catch (Exception e)
{
    Console.Error.WriteLine($"{e.GetType().FullName}: {e.Message}");
    return 3;
}

static int FirstBackward()
{
    torch.set_num_threads(1);
    var compact = DshArchitecture.Compact(16);
    var architecture = compact with
    {
        SketchTrunk = (CaffeSketchTrunkSpec)compact.SketchTrunk with { Channels = new[] { 8, 8, 8, 8, 8 } },
        PhotoTrunk = (AlexNetPhotoTrunkSpec)compact.PhotoTrunk with { Channels = new[] { 8, 8, 8, 8, 8 } },
        SketchHead = compact.SketchHead with { Widths = new[] { 32, 32 } },
        FusionHead = compact.FusionHead with { Widths = new[] { 32, 32 } },
    };
    using var network = new DshNetwork(architecture);
    network.train();
    var sketches = torch.rand(8, 3, architecture.SketchInputSize, architecture.SketchInputSize);
    network.ForwardSketch(sketches).square().sum().backward();
    var bad = network.named_parameters()
        .Where(p => p.parameter.grad is not null && !p.parameter.grad.isfinite().all().item<bool>())
        .Select(p => p.name).ToList();
    Console.WriteLine(bad.Count == 0
        ? "first-backward-ok"
        : $"first-backward-nonfinite {string.Join(',', bad)}");
    return bad.Count == 0 ? 0 : 4;
}
