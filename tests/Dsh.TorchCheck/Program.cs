// Fresh-process check: load TorchSharp through Dsh, run a convolution forward and backward, print a result line.
// Exit codes: 0 ok, 2 DshNativeLibraryException (message on stderr), 3 anything else.
using Dsh;
using TorchSharp;

try
{
    TorchRuntime.EnsureLoaded();
    using var scope = torch.NewDisposeScope();
    torch.manual_seed(7);
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
