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

    [Fact]
    public void Dsh_Orleans_leaves_the_clustering_and_storage_providers_to_the_application()
    {
        string[] references = typeof(DshClusterIndex).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        Assert.DoesNotContain(references, r => r.Contains("Redis", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("Polly.Core", references);
    }

    [Fact]
    public void Its_public_signatures_mention_only_the_platform_Dsh_Hashing_and_Orleans()
    {
        // Orleans is what the package plugs into (silo and client builders, grain interfaces); Polly stays inside
        IReadOnlyList<string> violations = Dsh.Tests.Support.PublicApiTypes.Violations(typeof(DshClusterIndex).Assembly, t =>
            Dsh.Tests.Support.PublicApiTypes.IsPlatform(t.Assembly) || t.Assembly == typeof(Dsh.Hashing.HammingIndex).Assembly
            || (t.Assembly.GetName().Name ?? "").StartsWith("Orleans.", StringComparison.Ordinal));
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void Retries_back_off_exponentially_with_jitter()
    {
        var options = new DshClusterIndexOptions { RetryDelay = TimeSpan.FromMilliseconds(50) };
        var descriptor = Polly.Testing.ResiliencePipelineExtensions.GetPipelineDescriptor(TransientFailures.Pipeline(options));
        var retry = Assert.IsType<Polly.Retry.RetryStrategyOptions>(Assert.Single(descriptor.Strategies).Options);
        Assert.True(retry.UseJitter);
        Assert.Equal(Polly.DelayBackoffType.Exponential, retry.BackoffType);
        Assert.Equal(TimeSpan.FromMilliseconds(50), retry.Delay);
        Assert.Equal(TimeSpan.FromSeconds(2), retry.MaxDelay);
        Assert.Same(TransientFailures.Pipeline(options), TransientFailures.Pipeline(options));
    }

    [Fact]
    public async Task A_transient_failure_is_retried_and_any_other_is_not()
    {
        var options = new DshClusterIndexOptions { RetryDelay = TimeSpan.FromMilliseconds(1), RetryTimeout = TimeSpan.FromSeconds(10) };
        var attempts = new List<int>();
        int result = await TransientFailures.RunAsync(attempt =>
        {
            attempts.Add(attempt);
            return attempt < 3 ? Task.FromException<int>(new global::Orleans.Runtime.SiloUnavailableException()) : Task.FromResult(42);
        }, options, CancellationToken.None);
        Assert.Equal(42, result);
        Assert.Equal([0, 1, 2, 3], attempts);

        int calls = 0;
        await Assert.ThrowsAsync<ArgumentException>(() => TransientFailures.RunAsync<int>(_ => { calls++; throw new ArgumentException("bad"); }, options, CancellationToken.None));
        Assert.Equal(1, calls);

        calls = 0;
        var none = options with { RetryTimeout = TimeSpan.Zero };
        await Assert.ThrowsAsync<global::Orleans.Runtime.SiloUnavailableException>(() => TransientFailures.RunAsync<int>(_ => { calls++; throw new global::Orleans.Runtime.SiloUnavailableException(); }, none, CancellationToken.None));
        Assert.Equal(1, calls);
    }
}
