namespace Dsh.Hashing;

/// <summary>One result of <see cref="Gallery.SearchItems(BinaryCode, int)"/>: a <see cref="Neighbor"/> with the item it stands for, read in the same moment as the search.</summary>
/// <param name="Id">The id of the stored code.</param>
/// <param name="Distance">The Hamming distance to the query.</param>
/// <param name="Item">The item stored under <paramref name="Id"/>.</param>
public readonly record struct GalleryNeighbor(long Id, int Distance, GalleryItem Item)
{
    /// <summary>The id and distance alone.</summary>
    public Neighbor Neighbor => new(Id, Distance);
}
