namespace Dsh.Imaging;

/// <summary>
/// Turns a photo into its sketch-token map: the photo's contours drawn as black strokes on white, which the
/// network's shared sketch trunk reads beside the photo. Implement it to plug in maps made elsewhere (a learned
/// edge detector, precomputed files); <see cref="Contours.ContourTokenExtractor"/> is the built-in one.
/// </summary>
public interface ISketchTokenExtractor
{
    /// <summary>
    /// Identifies the algorithm and every setting that changes its output, e.g. <c>contour-v1(scales=1,2;…)</c>.
    /// It is part of the keys of the trainer's on-disk token cache: two extractors with the same name must produce the same maps.
    /// </summary>
    string Name { get; }

    /// <summary>
    /// A new image of the same size as <paramref name="photo"/>: black (or grey) strokes on white, R = G = B.
    /// Must be safe to call from several threads at once.
    /// </summary>
    /// <param name="photo">The photo.</param>
    RgbImage Extract(RgbImage photo);
}
