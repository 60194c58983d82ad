using System.Threading.RateLimiting;

namespace Dsh.Cli.Serve;

/// <summary>
/// The bounds in front of the encoders. At most <see cref="ServeOptions.MaxConcurrentEncodes"/> images are decoded and
/// encoded at once and <see cref="ServeOptions.MaxQueuedEncodes"/> more wait (oldest first); the encoder is taken after
/// the body is read, so a slow upload does not hold one. And at most as many requests as the two together hold an upload
/// at all (reading it, waiting, encoding), so the bodies in memory never exceed that many times the body limit. A request
/// beyond either bound is refused at once.
/// </summary>
internal sealed class EncoderGate(ServeOptions options) : IDisposable
{
    private readonly ConcurrencyLimiter _encoders = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.MaxConcurrentEncodes,
        QueueLimit = options.MaxQueuedEncodes,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    private readonly ConcurrencyLimiter _uploads = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.MaxConcurrentEncodes + options.MaxQueuedEncodes,
        QueueLimit = 0,
    });

    /// <summary>A place for one more upload in memory; <see cref="RateLimitLease.IsAcquired"/> is false when every place is taken.</summary>
    public RateLimitLease HoldUpload() => _uploads.AttemptAcquire(1);

    /// <summary>An encoder; <see cref="RateLimitLease.IsAcquired"/> is false when the queue was full.</summary>
    public ValueTask<RateLimitLease> EnterAsync(CancellationToken cancellationToken) => _encoders.AcquireAsync(1, cancellationToken);

    public void Dispose()
    {
        _encoders.Dispose();
        _uploads.Dispose();
    }
}
