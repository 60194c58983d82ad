namespace Dsh.Imaging;

/// <summary>
/// Why an image was refused before decoding: it is larger than an <see cref="ImageDecodingOptions"/> limit allows. The
/// decoders throw an <see cref="InvalidDataException"/> (so code that treats every unreadable image alike needs no change)
/// whose <see cref="Exception.InnerException"/> is this exception; a server tells "too large" from "undecodable" with
/// <see cref="From"/>.
/// </summary>
public sealed class ImageLimitExceededException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line naming the image and the limit.</param>
    /// <param name="limit">The name of the <see cref="ImageDecodingOptions"/> property that refused it.</param>
    /// <param name="actual">What the image has (pixels or bytes).</param>
    /// <param name="allowed">What the limit allows.</param>
    public ImageLimitExceededException(string message, string limit, long actual, long allowed)
        : base(message)
    {
        Limit = limit;
        Actual = actual;
        Allowed = allowed;
    }

    /// <summary>The limit that refused the image: <c>nameof(ImageDecodingOptions.MaxPixels)</c> or <c>nameof(ImageDecodingOptions.MaxEncodedBytes)</c>.</summary>
    public string Limit { get; }

    /// <summary>What the image has: its pixel count, or its encoded size in bytes (at least this many when read from a stream).</summary>
    public long Actual { get; }

    /// <summary>What the limit allows.</summary>
    public long Allowed { get; }

    /// <summary>The limit behind <paramref name="exception"/> when it is (or wraps) a refusal for size, else null.</summary>
    /// <param name="exception">An exception from a decoder or encoder of this library.</param>
    public static ImageLimitExceededException? From(Exception? exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is ImageLimitExceededException limit)
            {
                return limit;
            }
        }
        return null;
    }

    /// <summary>The refusal as the decoders throw it: an <see cref="InvalidDataException"/> with the same message wrapping this one.</summary>
    internal InvalidDataException AsInvalidData() => new(Message, this);
}
