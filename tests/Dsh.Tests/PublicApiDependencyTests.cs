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
        IReadOnlyList<string> violations = PublicApiTypes.Violations(typeof(HammingIndex).Assembly, PublicApiTypes.IsPlatform);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void Dsh_mentions_only_the_platform_Dsh_Hashing_and_TorchSharp()
    {
        var allowed = new[] { typeof(HammingIndex).Assembly, typeof(TorchSharp.torch).Assembly };
        IReadOnlyList<string> violations = PublicApiTypes.Violations(typeof(DshModel).Assembly, a => PublicApiTypes.IsPlatform(a) || allowed.Contains(a));
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }
}
