using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Storage;
using Polly;
using Polly.Retry;

namespace Dsh.Orleans.Client;

/// <summary>
/// Runs a cluster call again while it fails for a reason that passes when the cluster heals (a silo gone, a connection
/// lost, a stale activation), until <see cref="DshClusterIndexOptions.RetryTimeout"/>, through a Polly retry pipeline
/// (exponential backoff with jitter). Argument errors and every other exception go to the caller at once, unchanged.
/// </summary>
internal static class TransientFailures
{
    /// <summary>Whether <paramref name="e"/> is a failure of the cluster rather than of the request.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException or GatewayTooBusyException => true,
        TimeoutException or InconsistentStateException or OrleansLifecycleCanceledException => true,
        OrleansException when e.InnerException is { } inner => IsTransient(inner),
        _ => IsStorageConnectionFailure(e),
    };

    /// <summary>Runs <paramref name="call"/>; <c>attempt</c> is 0 the first time. An attempt that outlives <paramref name="attemptTimeout"/> counts as a transient failure.</summary>
    public static async Task<T> RunAsync<T>(Func<int, Task<T>> call, DshClusterIndexOptions options, CancellationToken cancellationToken, TimeSpan? attemptTimeout = null)
    {
        TimeSpan timeout = attemptTimeout ?? Timeout.InfiniteTimeSpan;
        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(StartedKey, System.Diagnostics.Stopwatch.GetTimestamp());
        try
        {
            return await Pipeline(options).ExecuteAsync(static async (ctx, state) =>
            {
                var (call, timeout) = state;
                int attempt = ctx.Properties.GetValue(AttemptKey, 0);
                ctx.Properties.Set(AttemptKey, attempt + 1);
                Task<T> task = call(attempt);
                try
                {
                    return await task.WaitAsync(timeout, ctx.CancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is TimeoutException or OperationCanceledException && !task.IsCompleted)
                {
                    // Abandoned (timed out or cancelled by the caller): the call may still complete, and a write still
                    // be applied, later; its outcome is observed so that a late failure is not left unobserved.
                    _ = task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                    throw;
                }
            }, context, (call, timeout)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static readonly ResiliencePropertyKey<long> StartedKey = new("dsh.started");
    private static readonly ResiliencePropertyKey<int> AttemptKey = new("dsh.attempt");

    /// <summary>
    /// Polly's retry: exponential backoff from <see cref="DshClusterIndexOptions.RetryDelay"/> up to 2 s with jitter (so
    /// clients that lost the same silo do not retry in step), on transient failures only, while the next attempt would
    /// start within <see cref="DshClusterIndexOptions.RetryTimeout"/> of the call. One pipeline per options instance.
    /// </summary>
    internal static ResiliencePipeline Pipeline(DshClusterIndexOptions options) => Pipelines.GetValue(options, static o =>
        new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = o.RetryDelay,
            MaxDelay = MaxRetryDelay,
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Exception is { } e && IsTransient(e) && !args.Context.CancellationToken.IsCancellationRequested
                && System.Diagnostics.Stopwatch.GetElapsedTime(args.Context.Properties.GetValue(StartedKey, 0L)) + o.RetryDelay < o.RetryTimeout),
        }).Build());

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DshClusterIndexOptions, ResiliencePipeline> Pipelines = new();

    /// <summary>
    /// The Redis client's connection and timeout errors, also when a storage or clustering provider wrapped them (by name:
    /// the providers wrap every error, serialization and payload errors too, which a retry does not fix).
    /// </summary>
    private static bool IsStorageConnectionFailure(Exception e) =>
        e.GetType().FullName is "StackExchange.Redis.RedisConnectionException" or "StackExchange.Redis.RedisTimeoutException"
        || (e.GetType().Name is "RedisStorageException" or "RedisClusteringException" && e.InnerException is { } inner
            && (inner is TimeoutException || IsStorageConnectionFailure(inner)));
}
