using Dsh.Imaging;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Dsh.Cli.Serve;

/// <summary>
/// Reads an uploaded image body: the media type must be an image type the decoder reads (else 415), the body must not be
/// empty (400) nor larger than the server's limit (413, from Kestrel's <c>MaxRequestBodySize</c> and checked again here).
/// </summary>
internal static class ImageUpload
{
    /// <summary>The media types accepted in <c>Content-Type</c>.</summary>
    public static IReadOnlySet<string> MediaTypes { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "image/png", "image/jpeg", "image/jpg", "image/pjpeg", "image/gif", "image/bmp", "image/x-bmp", "image/x-ms-bmp", "image/webp",
        "image/tiff", "image/x-tga", "image/x-targa", "image/tga", "image/x-portable-bitmap", "image/x-portable-graymap",
        "image/x-portable-pixmap", "image/x-portable-anymap",
    };

    /// <summary>The body as a seekable stream, or the problem to answer instead.</summary>
    public static async Task<(MemoryStream? Body, IResult? Problem)> ReadAsync(HttpRequest request, long maxBytes, ServeMetrics metrics,
        CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out MediaTypeHeaderValue? type) || !MediaTypes.Contains(type.MediaType.Value ?? ""))
        {
            metrics.Refuse("media-type");
            return (null, ServeProblems.Result(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"Send the image's bytes with Content-Type image/png, image/jpeg, image/gif, image/bmp, image/webp, image/tiff or image/x-tga; got '{request.ContentType ?? "none"}'."));
        }
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes, metrics));
        }
        var body = new MemoryStream();
        try
        {
            byte[] chunk = new byte[81920];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (body.Length + read > maxBytes)
                {
                    return (null, TooLarge(maxBytes, metrics));
                }
                body.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(maxBytes, metrics));
        }
        if (body.Length == 0)
        {
            metrics.Refuse("undecodable");
            return (null, ServeProblems.Result(StatusCodes.Status400BadRequest, "Empty body", "The request has no image: send the image's bytes as the body."));
        }
        body.Position = 0;
        return (body, null);
    }

    /// <summary>The answer to an image the decoder refused: 413 when it is over a limit, else 400.</summary>
    public static IResult Refused(InvalidDataException e, ServeMetrics metrics)
    {
        if (ImageLimitExceededException.From(e) is { } limit)
        {
            metrics.Refuse("too-large");
            string detail = limit.Limit == nameof(ImageDecodingOptions.MaxPixels)
                ? $"The image has {N(limit.Actual)} pixels; this server decodes at most {N(limit.Allowed)}."
                : $"The image is larger than this server's limit of {N(limit.Allowed)} bytes.";
            return ServeProblems.Result(StatusCodes.Status413PayloadTooLarge, "Image too large", detail);
        }
        metrics.Refuse("undecodable");
        return ServeProblems.Result(StatusCodes.Status400BadRequest, "Undecodable image",
            "The body is not an image this server can decode (PNG, JPEG, BMP, GIF, TGA, TIFF, WebP, PBM), or it is damaged.");
    }

    private static string N(long value) => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    private static IResult TooLarge(long maxBytes, ServeMetrics metrics)
    {
        metrics.Refuse("too-large");
        return ServeProblems.Result(StatusCodes.Status413PayloadTooLarge, "Body too large",
            $"The body is larger than this server's limit of {N(maxBytes)} bytes.");
    }
}
