using System.Globalization;

namespace Dsh.WebDemo;

/// <summary>The HTTP API: status, search and gallery photos. Bad input is a 400 with a one-line message.</summary>
public static class DemoEndpoints
{
    public const int DefaultK = 12;
    public const int MaxK = 100;

    public static void Map(WebApplication app)
    {
        app.MapGet("/api/status", (DemoEngine engine) =>
        {
            DshModel? model = engine.Model;
            return Results.Json(new StatusResponse(
                engine.State.ToString().ToLowerInvariant(),
                engine.State == DemoState.Ready,
                engine.Message,
                engine.Photos.Count,
                model?.CodeLength ?? 0,
                model?.Categories ?? Array.Empty<string>(),
                engine.ModelSource));
        });

        app.MapPost("/api/search", SearchAsync);

        app.MapGet("/photos/{id}", (string id, DemoEngine engine) =>
        {
            if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out long value) || engine.Photo(value) is not GalleryPhoto photo)
            {
                return Results.Json(new ErrorResponse($"No gallery photo with id '{id}'."), statusCode: StatusCodes.Status404NotFound);
            }
            return Results.File(photo.Path, photo.ContentType);
        });
    }

    private static async Task<IResult> SearchAsync(HttpRequest request, DemoEngine engine, CancellationToken ct)
    {
        int k;
        try
        {
            k = ParseK(request.Query["k"]);
        }
        catch (BadSketchException e)
        {
            return Bad(e.Message);
        }
        if (engine.State != DemoState.Ready)
        {
            return Results.Json(new ErrorResponse($"Not ready yet ({engine.Message}); try again shortly."), statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        try
        {
            byte[] body = await SketchInput.ReadBodyAsync(request.Body, ct);
            using var sketch = SketchInput.Prepare(SketchInput.PngBytes(body));
            var (neighbors, encodeMs, searchMs) = engine.Search(sketch, k);
            var hits = neighbors.Select(n =>
            {
                GalleryPhoto photo = engine.Photo(n.Id)!;
                return new SearchHit(n.Id, photo.Category, n.Distance, $"/photos/{n.Id}", Path.GetFileName(photo.Path));
            }).ToList();
            return Results.Json(new SearchResponse(k, engine.Model?.CodeLength ?? 0, encodeMs, searchMs, hits));
        }
        catch (BadSketchException e)
        {
            return Bad(e.Message);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own limits (e.g. the request body size) while reading.
            return Bad("Bad request: " + e.Message.ReplaceLineEndings(" "));
        }
    }

    private static int ParseK(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return DefaultK;
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int k) || k < 1 || k > MaxK)
        {
            throw new BadSketchException($"k must be a whole number from 1 to {MaxK}; got '{text}'.");
        }
        return k;
    }

    private static IResult Bad(string message) =>
        Results.Json(new ErrorResponse(message), statusCode: StatusCodes.Status400BadRequest);
}
