using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Storage;

namespace Dsh.Orleans.Client;

/// <summary>
/// Runs a cluster call again while it fails for a reason that passes when the cluster heals (a silo gone, a connection
/// lost, a stale activation), until <see cref="DshClusterIndexOptions.RetryTimeout"/>. Argument errors and every other
/// exception go to the caller at once, unchanged.
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
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan delay = options.RetryDelay;
        for (int attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                Task<T> task = call(attempt);
                try
                {
                    return await task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is TimeoutException or OperationCanceledException && !task.IsCompleted)
                {
                    // Abandoned (timed out or cancelled by the caller): the call may still complete, and a write still
                    // be applied, later; its outcome is observed so that a late failure is not left unobserved.
                    _ = task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                    throw;
                }
            }
            catch (Exception e) when (IsTransient(e) && clock.Elapsed + delay < options.RetryTimeout)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }

    /// <summary>
    /// The Redis client's connection and timeout errors, also when a storage or clustering provider wrapped them (by name:
    /// the providers wrap every error, serialization and payload errors too, which a retry does not fix).
    /// </summary>
    private static bool IsStorageConnectionFailure(Exception e) =>
        e.GetType().FullName is "StackExchange.Redis.RedisConnectionException" or "StackExchange.Redis.RedisTimeoutException"
        || (e.GetType().Name is "RedisStorageException" or "RedisClusteringException" && e.InnerException is { } inner
            && (inner is TimeoutException || IsStorageConnectionFailure(inner)));
}
