namespace Dsh.Hashing.Galleries;

/// <summary>A copy of what a gallery save writes, taken under the gallery's lock and written after it is released.</summary>
/// <param name="Codes">The ids and codes, row for row.</param>
/// <param name="Items">The item of each row.</param>
/// <param name="NextId">The next id to assign.</param>
/// <param name="Properties">The gallery-wide values.</param>
internal sealed record GalleryRows(IndexSnapshot Codes, GalleryItem[] Items, long NextId, GalleryProperties Properties);
