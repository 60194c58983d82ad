using System.Globalization;
using System.Threading.RateLimiting;
using Dsh.Hashing;
using Dsh.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dsh.Cli.Serve;

/// <summary>
/// The HTTP API of <c>dsh serve</c> (docs/serving.md). Endpoints stay thin: read and check the request, call
/// <see cref="SketchSearch"/>, answer JSON; every error is problem details.
/// </summary>
internal static class ServeEndpoints
{
    /// <summary>k when the query string has none.</summary>
    public const int DefaultK = 10;

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", (SketchSearch search) => Results.Text("ok"));
        app.MapGet("/api/status", Status);
        app.MapPost("/api/search", SearchAsync);
        app.MapPost("/api/photos", AddAsync);
        app.MapDelete("/api/photos/{id}", RemoveAsync);
        app.MapGet("/photos/{id}", Photo);
    }

    private static IResult Status(SketchSearch search, ServeOptions options)
    {
        Gallery gallery = search.Gallery;
        IReadOnlyDictionary<string, int> counts = gallery.GetCategoryCounts();
        return Results.Json(new StatusResponse(gallery.CodeLength, gallery.Count, counts.Keys.Order(StringComparer.Ordinal).ToList(), counts,
            Path.GetFileName(options.ModelPath), search.Encoder.Categories, gallery.Generation));
    }

    private static async Task<IResult> SearchAsync(HttpRequest request, SketchSearch search, ServeOptions options, ServeMetrics metrics,
        EncoderGate gate, CancellationToken cancellationToken)
    {
        if (!TryK(request.Query["k"], options.MaxK, out int k, out IResult? badK))
        {
            return badK;
        }
        return await WithUploadAsync(request, options, metrics, gate, cancellationToken, body =>
        {
            SketchSearchResult result = search.Search(body, k);
            metrics.Searches.Add(1);
            metrics.EncodeDuration.Record(result.EncodeMilliseconds);
            metrics.SearchDuration.Record(result.SearchMilliseconds);
            var hits = result.Results.Select(n => new SearchHit(n.Id, n.Distance, n.Item.Category, PhotoUrl(n.Id), n.Item.Key)).ToList();
            return Task.FromResult(Results.Json(new SearchResponse(hits, result.EncodeMilliseconds, result.SearchMilliseconds, k, search.Gallery.Count)));
        });
    }

    private static async Task<IResult> AddAsync(HttpRequest request, SketchSearch search, ServeOptions options, ServeMetrics metrics,
        EncoderGate gate, CancellationToken cancellationToken)
    {
        if (search.IsReadOnly)
        {
            return ReadOnly();
        }
        string? category = request.Query["category"];
        if (category is not null && string.IsNullOrWhiteSpace(category))
        {
            category = null;
        }
        if (category is not null && BadCategory(category) is { } why)
        {
            return ServeProblems.Result(StatusCodes.Status400BadRequest, "Bad category", why);
        }
        return await WithUploadAsync(request, options, metrics, gate, cancellationToken, async body =>
        {
            PhotoAddition added;
            try
            {
                added = await search.AddPhotoAsync(body, category, cancellationToken);
            }
            catch (TimeoutException)
            {
                return Locked(request.HttpContext);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return NotWritable(request.HttpContext, e);
            }
            if (added.Added)
            {
                metrics.PhotosAdded.Add(1);
            }
            return Results.Json(new PhotoResponse(added.Id, added.Count, added.Item.Key, added.Item.Category, added.Added));
        });
    }

    /// <summary>
    /// Takes a place for the upload (503 when every place is taken), reads the image (415, 413, 400 on the way), then waits
    /// for an encoder (503 when the queue is full) and runs <paramref name="handle"/> on the body; an image the decoder
    /// refuses is 413 or 400.
    /// </summary>
    private static async Task<IResult> WithUploadAsync(HttpRequest request, ServeOptions options, ServeMetrics metrics, EncoderGate gate,
        CancellationToken cancellationToken, Func<MemoryStream, Task<IResult>> handle)
    {
        using RateLimitLease upload = gate.HoldUpload();
        if (!upload.IsAcquired)
        {
            return Busy(request.HttpContext, metrics);
        }
        var (body, problem) = await ImageUpload.ReadAsync(request, options.MaxBodyBytes, metrics, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        using (body)
        using (RateLimitLease lease = await gate.EnterAsync(cancellationToken))
        {
            if (!lease.IsAcquired)
            {
                return Busy(request.HttpContext, metrics);
            }
            try
            {
                return await handle(body!);
            }
            catch (InvalidDataException e)
            {
                return ImageUpload.Refused(e, metrics);
            }
        }
    }

    private static async Task<IResult> RemoveAsync(string id, SketchSearch search, ServeMetrics metrics, HttpContext context, CancellationToken cancellationToken)
    {
        if (search.IsReadOnly)
        {
            return ReadOnly();
        }
        if (!TryId(id, out long value))
        {
            return NotFound(id);
        }
        bool removed;
        try
        {
            removed = await search.RemovePhotoAsync(value, cancellationToken);
        }
        catch (TimeoutException)
        {
            return Locked(context);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return NotWritable(context, e);
        }
        if (!removed)
        {
            return NotFound(id);
        }
        metrics.PhotosRemoved.Add(1);
        return Results.Json(new RemovedResponse(value, search.Gallery.Count));
    }

    /// <summary>The photo of a gallery id: the path comes from the gallery, never from the request.</summary>
    private static IResult Photo(string id, SketchSearch search)
    {
        if (!TryId(id, out long value) || search.PhotoPath(value) is not { } path)
        {
            return NotFound(id);
        }
        string type = ContentTypes.TryGetContentType(path, out string? known) ? known : "application/octet-stream";
        return Results.File(path, type, enableRangeProcessing: false);
    }

    private static string PhotoUrl(long id) => "/photos/" + id.ToString(CultureInfo.InvariantCulture);

    private static bool TryId(string text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id);

    private static bool TryK(string? text, int maxK, out int k, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out IResult? problem)
    {
        problem = null;
        k = DefaultK;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out k) && k >= 1 && k <= maxK)
        {
            return true;
        }
        problem = ServeProblems.Result(StatusCodes.Status400BadRequest, "Bad k", $"k must be a whole number from 1 to {maxK}.");
        return false;
    }

    private static string? BadCategory(string category)
    {
        try
        {
            _ = new GalleryItem("x", category.Trim());
            return null;
        }
        catch (ArgumentException)
        {
            return $"A category is at most {GalleryItem.MaxCategoryBytes} UTF-8 bytes of text without control characters.";
        }
    }

    /// <summary>The index served holds no photos (it is not a gallery): adding and removing are not allowed.</summary>
    private static IResult ReadOnly() =>
        ServeProblems.Result(StatusCodes.Status405MethodNotAllowed, "Read-only index",
            "This server searches an index file that holds no photos; add and remove photos on a gallery ('dsh index build').");

    private static IResult NotFound(string id) =>
        ServeProblems.Result(StatusCodes.Status404NotFound, "No such photo", $"The gallery has no photo with id '{Shorten(id)}'.");

    private static IResult Busy(HttpContext context, ServeMetrics metrics)
    {
        metrics.Refuse("busy");
        context.Response.Headers.RetryAfter = "1";
        return ServeProblems.Result(StatusCodes.Status503ServiceUnavailable, "Busy", "Every encoder is busy and the queue is full; try again in a second.");
    }

    private static IResult Locked(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "5";
        return ServeProblems.Result(StatusCodes.Status503ServiceUnavailable, "Gallery busy",
            "Another process holds the gallery file's lock; try again shortly.");
    }

    /// <summary>The gallery or the photos root cannot be written (permissions, a full disk): logged with the details, answered without them.</summary>
    private static IResult NotWritable(HttpContext context, Exception e)
    {
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(ServeMetrics.MeterName)
            .LogError(e, "Could not write the gallery or its photo folder");
        return ServeProblems.Result(StatusCodes.Status500InternalServerError, "Gallery not writable",
            "The server cannot write its gallery or photo folder; nothing was changed.");
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
