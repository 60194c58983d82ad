using Dsh.Hashing;

namespace Dsh.Serving;

/// <summary>The answer of <see cref="SketchSearch.Search"/>: the nearest gallery items and where the time went.</summary>
/// <param name="Results">Up to k items, ordered by (distance, id), each with its key and category.</param>
/// <param name="EncodeMilliseconds">Decoding and encoding the sketch.</param>
/// <param name="SearchMilliseconds">Ranking the gallery.</param>
public sealed record SketchSearchResult(IReadOnlyList<GalleryNeighbor> Results, double EncodeMilliseconds, double SearchMilliseconds);

/// <summary>The answer of <see cref="SketchSearch.AddPhotoAsync"/>, given once the gallery file holds the photo.</summary>
/// <param name="Id">The photo's id in the gallery.</param>
/// <param name="Count">How many items the gallery holds now.</param>
/// <param name="Item">The photo's key (<c>uploads/…</c>) and category.</param>
/// <param name="Added">False when the same photo (same bytes) was in the gallery already: <paramref name="Id"/> is its id.</param>
public sealed record PhotoAddition(long Id, int Count, GalleryItem Item, bool Added);
