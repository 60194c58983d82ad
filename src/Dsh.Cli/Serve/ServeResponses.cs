namespace Dsh.Cli.Serve;

/// <summary>One result of <c>POST /api/search</c>.</summary>
/// <param name="Id">The photo's id in the gallery.</param>
/// <param name="Distance">Hamming distance to the sketch's code.</param>
/// <param name="Category">The photo's category, or null.</param>
/// <param name="PhotoUrl">Where the page fetches the photo (<c>/photos/{id}</c>).</param>
/// <param name="Key">The photo's key in the gallery (a path relative to the photos root).</param>
internal sealed record SearchHit(long Id, int Distance, string? Category, string PhotoUrl, string Key);

/// <summary>The body of <c>POST /api/search</c>.</summary>
internal sealed record SearchResponse(IReadOnlyList<SearchHit> Results, double EncodeMs, double SearchMs, int K, int Count);

/// <summary>The body of <c>POST /api/photos</c>, sent once the gallery file holds the photo.</summary>
/// <param name="Id">The photo's id.</param>
/// <param name="Count">The gallery's size now.</param>
/// <param name="Key">Where the photo was stored, relative to the photos root (<c>uploads/…</c>).</param>
/// <param name="Category">Its category, or null.</param>
/// <param name="Added">False when the same bytes were in the gallery already (the id is theirs).</param>
internal sealed record PhotoResponse(long Id, int Count, string Key, string? Category, bool Added);

/// <summary>The body of <c>DELETE /api/photos/{id}</c>, sent once the gallery file no longer holds it.</summary>
internal sealed record RemovedResponse(long Id, int Count);

/// <summary>The body of <c>GET /api/status</c>.</summary>
/// <param name="Bits">Code length.</param>
/// <param name="Count">Photos in the gallery.</param>
/// <param name="Categories">The gallery's categories, sorted.</param>
/// <param name="CategoryCounts">Photos per category.</param>
/// <param name="Model">The model file's name.</param>
/// <param name="ModelCategories">The categories the model was trained on.</param>
/// <param name="Generation">The gallery file's generation (rises with every saved change).</param>
internal sealed record StatusResponse(int Bits, int Count, IReadOnlyList<string> Categories, IReadOnlyDictionary<string, int> CategoryCounts,
    string Model, IReadOnlyList<string> ModelCategories, long Generation);
