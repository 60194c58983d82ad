using Dsh.Orleans.Client;
using Dsh.Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Storage;

namespace Dsh.Orleans.Tests;

/// <summary>Options refuse bad values with a message naming them; transient failures are told from request errors.</summary>
public sealed class OptionsTests
{
    [Fact]
    public void Silo_options_are_checked()
    {
        new DshIndexSiloOptions().Validate();
        Assert.Equal("StorageName", Assert.Throws<ArgumentException>(() => new DshIndexSiloOptions { StorageName = " " }.Validate()).ParamName);
        Assert.Equal("MaxLogEntries", Assert.Throws<ArgumentOutOfRangeException>(() => new DshIndexSiloOptions { MaxLogEntries = 0 }.Validate()).ParamName);
        Assert.Equal("SnapshotChunkBytes", Assert.Throws<ArgumentOutOfRangeException>(() => new DshIndexSiloOptions { SnapshotChunkBytes = 100 }.Validate()).ParamName);
        Assert.Equal("RememberedOperations", Assert.Throws<ArgumentOutOfRangeException>(() => new DshIndexSiloOptions { RememberedOperations = -1 }.Validate()).ParamName);
    }

    [Fact]
    public void Client_options_are_checked()
    {
        var defaults = new DshClusterIndexOptions();
        Assert.Same(defaults, defaults.Validated());
        Assert.Throws<ArgumentOutOfRangeException>(() => new DshClusterIndexOptions { RetryTimeout = TimeSpan.FromSeconds(-1) }.Validated());
        Assert.Throws<ArgumentOutOfRangeException>(() => new DshClusterIndexOptions { RetryDelay = TimeSpan.Zero }.Validated());
        Assert.Throws<ArgumentOutOfRangeException>(() => new DshClusterIndexOptions { AttemptTimeout = TimeSpan.Zero }.Validated());
        new DshClusterIndexOptions { AttemptTimeout = Timeout.InfiniteTimeSpan, RetryTimeout = TimeSpan.Zero }.Validated();
    }

    [Fact]
    public void Only_cluster_failures_are_retried()
    {
        Assert.True(TransientFailures.IsTransient(new SiloUnavailableException("gone")));
        Assert.True(TransientFailures.IsTransient(new TimeoutException()));
        Assert.True(TransientFailures.IsTransient(new InconsistentStateException("etag")));
        Assert.True(TransientFailures.IsTransient(new OrleansException("wrapped", new SiloUnavailableException())));
        Assert.False(TransientFailures.IsTransient(new ArgumentException("bad")));
        Assert.False(TransientFailures.IsTransient(new InvalidOperationException("not created")));
        Assert.False(TransientFailures.IsTransient(new OrleansException("plain")));
    }

    [Fact]
    public async Task Retries_stop_at_the_retry_timeout_with_the_last_error()
    {
        int calls = 0;
        var options = new DshClusterIndexOptions { RetryTimeout = TimeSpan.FromSeconds(1), RetryDelay = TimeSpan.FromMilliseconds(20) };
        await Assert.ThrowsAsync<SiloUnavailableException>(() => TransientFailures.RunAsync<int>(_ => { calls++; throw new SiloUnavailableException(); }, options, CancellationToken.None));
        Assert.InRange(calls, 2, 20); // 20, 40, 80 … ms apart, within 1 s
        calls = 0;
        await Assert.ThrowsAsync<ArgumentException>(() => TransientFailures.RunAsync<int>(_ => { calls++; throw new ArgumentException("x"); }, options, CancellationToken.None));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Transient_failures_and_hung_attempts_are_retried_until_one_answers()
    {
        var patient = new DshClusterIndexOptions { RetryTimeout = TimeSpan.FromSeconds(30), RetryDelay = TimeSpan.FromMilliseconds(10) };
        Assert.Equal(3, await TransientFailures.RunAsync(attempt => attempt < 2 ? throw new TimeoutException() : Task.FromResult(attempt + 1), patient, CancellationToken.None));

        // The first attempt never answers: it is abandoned after the attempt timeout and the second one answers.
        var never = new TaskCompletionSource<int>();
        int answer = await TransientFailures.RunAsync(attempt => attempt == 0 ? never.Task : Task.FromResult(42), patient, CancellationToken.None, TimeSpan.FromMilliseconds(100));
        Assert.Equal(42, answer);
    }
}
