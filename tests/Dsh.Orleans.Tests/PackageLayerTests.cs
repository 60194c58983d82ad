using Dsh.Orleans.Client;

namespace Dsh.Orleans.Tests;

/// <summary>The package sits on Dsh.Hashing only: a cluster node never loads TorchSharp or the training library.</summary>
public sealed class PackageLayerTests
{
    [Fact]
    public void Dsh_Orleans_references_no_torch_and_not_the_training_library()
    {
        string[] references = typeof(DshClusterIndex).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        Assert.Contains("Dsh.Hashing", references);
        Assert.DoesNotContain(references, r => r.StartsWith("TorchSharp", StringComparison.Ordinal));
        Assert.DoesNotContain("Dsh", references);
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "TorchSharp.dll")), "TorchSharp.dll in the test output");
    }
}
