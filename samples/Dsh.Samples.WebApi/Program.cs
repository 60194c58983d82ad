// Sketch search inside your own ASP.NET Core application: one service registration, one endpoint.
//
//   dotnet run -c Release --project samples/Dsh.Samples.WebApi -- --model MODEL.dshm --index GALLERY.dshi [--urls http://127.0.0.1:5080]
//   curl -s --data-binary @sketch.png 'http://127.0.0.1:5080/search?k=5'
//
// MODEL comes from `dsh train` (or DshModel.Save), GALLERY from `dsh index build --model MODEL --photos DIR --out GALLERY`
// (or Gallery.Save). This is the smallest useful integration, meant to be read and copied. The full server — the
// drawing page, photo upload and removal, photo files, body and concurrency limits, metrics, same-origin checks — is
// `dsh serve` (docs/serving.md), built on the same SketchSearch service.
using Dsh;
using Dsh.Serving;

var builder = WebApplication.CreateBuilder(args);

// --model and --index are ordinary configuration values (command line, environment variables, appsettings.json).
// --urls is read by ASP.NET Core itself; port 0 picks a free port.
string? modelPath = builder.Configuration["model"];
string? galleryPath = builder.Configuration["index"];
if (string.IsNullOrWhiteSpace(modelPath) || string.IsNullOrWhiteSpace(galleryPath))
{
    Console.Error.WriteLine("usage: Dsh.Samples.WebApi --model MODEL.dshm --index GALLERY.dshi [--urls http://127.0.0.1:5080]");
    return 2;
}

// The registration: one SketchSearch singleton holding the model and the gallery, loaded once and shared by every
// request (searches run in parallel), disposed with the application.
builder.Services.AddDshSketchSearch(options =>
{
    options.ModelPath = modelPath;
    options.GalleryPath = galleryPath;
});

// Every error answer is problem details (RFC 9457), also the ones ASP.NET Core writes itself (a k that is no number, 404).
builder.Services.AddProblemDetails();

var app = builder.Build();
app.UseStatusCodePages();

// The service loads on first use; asking for it here makes a missing or damaged file a start-up error instead of a
// failed first request.
try
{
    app.Services.GetRequiredService<SketchSearch>();
}
catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}

// POST /search?k=N, the body: the sketch's image bytes (PNG, JPEG, ...). The answer: the k nearest gallery items.
app.MapPost("/search", async (HttpRequest request, SketchSearch search, CancellationToken cancellationToken, int k = 10) =>
{
    if (k is < 1 or > 100)
    {
        return Results.Problem("k must be from 1 to 100.", statusCode: StatusCodes.Status400BadRequest, title: "Bad k");
    }

    // Kestrel forbids synchronous reads of the request body and the encoder reads synchronously, so buffer it first.
    // Kestrel caps a body at 30 MB by default; SketchSearchOptions.ImageDecoding bounds the decoded pixels.
    using var sketch = new MemoryStream();
    await request.Body.CopyToAsync(sketch, cancellationToken);
    sketch.Position = 0;
    try
    {
        SketchSearchResult found = search.Search(sketch, k);
        var hits = found.Results.Select(n => new SearchHit(n.Id, n.Distance, n.Item.Category, n.Item.Key)).ToList();
        return Results.Ok(new SearchResponse(hits, found.EncodeMilliseconds, found.SearchMilliseconds));
    }
    catch (InvalidDataException e) // not an image, a damaged one, or one over a decoding limit: the client's fault
    {
        return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Not a readable image");
    }
});

// The address actually bound (with port 0, the port chosen).
app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (string url in app.Urls)
    {
        app.Logger.LogInformation("Dsh sketch search listening on {Url}", url);
    }
});

await app.RunAsync();
return 0;

/// <summary>The answer: <c>{ results: [{ id, distance, category, key }], encodeMs, searchMs }</c> (ASP.NET Core writes camelCase).</summary>
internal sealed record SearchResponse(IReadOnlyList<SearchHit> Results, double EncodeMs, double SearchMs);

/// <summary>One gallery item: its id, Hamming distance to the sketch's code, category and key (its path under the gallery's root).</summary>
internal sealed record SearchHit(long Id, int Distance, string? Category, string Key);
