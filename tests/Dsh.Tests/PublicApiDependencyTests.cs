using Dsh.Hashing;
using Dsh.Tests.Support;

namespace Dsh.Tests;

/// <summary>
/// The packages' public signatures use only the platform, their own types and (in Dsh's network API) TorchSharp's:
/// no ImageSharp, protobuf or ONNX Runtime type, so an app on another major version of those gets no conflict.
/// </summary>
public class PublicApiDependencyTests
{
    [Fact]
    public void Dsh_Hashing_mentions_only_the_platform()
    {
        IReadOnlyList<string> violations = PublicApiTypes.Violations(typeof(HammingIndex).Assembly, t => PublicApiTypes.IsPlatform(t.Assembly));
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void Dsh_mentions_only_the_platform_Dsh_Hashing_and_TorchSharps_network_types()
    {
        // TorchSharp only where the network API needs it (the list docs/compatibility.md gives): tensors, modules (the
        // network's parts are modules, with their IModule interfaces), the device and element type of a network's
        // parameters, and the random generator of random codes; no other TorchSharp type.
        var torchTypes = new HashSet<Type>
        {
            typeof(TorchSharp.torch.Tensor), typeof(TorchSharp.torch.Device), typeof(TorchSharp.torch.ScalarType), typeof(TorchSharp.torch.Generator),
            typeof(TorchSharp.torch.nn.IModule<,>), typeof(TorchSharp.torch.nn.IModule<,,>),
        };
        bool IsTorchNetworkType(Type t) => torchTypes.Contains(t) || typeof(TorchSharp.torch.nn.Module).IsAssignableFrom(t);
        var hashing = typeof(HammingIndex).Assembly;
        IReadOnlyList<string> violations = PublicApiTypes.Violations(typeof(DshModel).Assembly,
            t => PublicApiTypes.IsPlatform(t.Assembly) || t.Assembly == hashing || IsTorchNetworkType(t));
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void The_check_refuses_a_package_that_only_looks_like_the_platform()
    {
        // System.Numerics.Tensors is a NuGet package, not part of the shared framework: named System.*, still refused.
        Assert.False(PublicApiTypes.IsPlatform(typeof(System.Numerics.Tensors.TensorPrimitives).Assembly));
        Assert.True(PublicApiTypes.IsPlatform(typeof(Span<byte>).Assembly));
        Assert.True(PublicApiTypes.IsPlatform(typeof(System.Text.Json.JsonSerializer).Assembly));
        Assert.False(PublicApiTypes.IsPlatform(typeof(TorchSharp.torch).Assembly));
    }
}
