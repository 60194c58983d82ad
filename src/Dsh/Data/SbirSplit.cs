namespace Dsh.Data;

/// <summary>
/// Which role an item plays. Sketches are <see cref="Train"/> or <see cref="Query"/>; photos are always
/// <see cref="Gallery"/>: as in the paper, the photos are both the training photos and the retrieval gallery.
/// </summary>
public enum SbirSplit
{
    /// <summary>A training sketch (the default for sketches).</summary>
    Train = 0,

    /// <summary>A held-out sketch used as a retrieval query (see <see cref="SbirDataset.WithQueries"/>).</summary>
    Query = 1,

    /// <summary>A photo: trained on and searched.</summary>
    Gallery = 2,
}
