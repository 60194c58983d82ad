namespace Dsh.Hashing;

/// <summary>How <see cref="Gallery"/> waits for the lock file that serialises writers of one gallery file.</summary>
public sealed record GalleryLockOptions
{
    /// <summary>The defaults: wait up to 30 seconds.</summary>
    public static GalleryLockOptions Default { get; } = new();

    /// <summary>How long to wait for another writer to finish; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> waits for ever, zero tries once.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative (other than infinite) or over <see cref="int.MaxValue"/> milliseconds.</exception>
    public TimeSpan Timeout
    {
        get;
        init
        {
            if (value != System.Threading.Timeout.InfiniteTimeSpan && (value < TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue))
            {
                throw new ArgumentOutOfRangeException(nameof(Timeout), value, "Use a time of 0 or more, or Timeout.InfiniteTimeSpan.");
            }

            field = value;
        }
    } = TimeSpan.FromSeconds(30);
}
