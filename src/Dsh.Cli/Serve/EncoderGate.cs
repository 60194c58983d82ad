using System.Threading.RateLimiting;

namespace Dsh.Cli.Serve;

/// <summary>
/// The bounded queue in front of the encoders: at most <see cref="ServeOptions.MaxConcurrentEncodes"/> images are decoded
/// and encoded at once and <see cref="ServeOptions.MaxQueuedEncodes"/> more wait (oldest first); a request beyond that is
/// refused at once. Taken after the body is read, so a slow upload does not hold an encoder.
/// </summary>
internal sealed class EncoderGate(ServeOptions options) : IDisposable
{
    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.MaxConcurrentEncodes,
        QueueLimit = options.MaxQueuedEncodes,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    /// <summary>A lease; <see cref="RateLimitLease.IsAcquired"/> is false when the queue was full.</summary>
    public ValueTask<RateLimitLease> EnterAsync(CancellationToken cancellationToken) => _limiter.AcquireAsync(1, cancellationToken);

    public void Dispose() => _limiter.Dispose();
}
