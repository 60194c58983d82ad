namespace Dsh.Hashing.Galleries;

/// <summary>A copy of what a gallery save writes, taken under the gallery's lock and written after it is released.</summary>
/// <param name="Codes">The ids and codes, row for row.</param>
/// <param name="Keys">The key of each row.</param>
/// <param name="Categories">The category of each row, or null.</param>
/// <param name="NextId">The next id to assign.</param>
/// <param name="Properties">The gallery-wide values.</param>
internal sealed record GalleryRows(IndexSnapshot Codes, string[] Keys, string?[] Categories, long NextId, GalleryProperties Properties);
