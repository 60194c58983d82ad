using Dsh.Imaging;

namespace Dsh.Imaging.Augmentation;

/// <summary>
/// Random training-time transforms (the trainer's <c>Augmentation</c> setting). <see cref="Default"/>: photos get a random-resized
/// crop keeping ≥ 85% of the area and a horizontal flip with probability 0.5; sketches a flip with probability 0.5 and a
/// small affine transform (rotation ±10°, scale 0.9–1.1, translation ±5%, white fill). <see cref="None"/> turns
/// everything off.
/// </summary>
public sealed record AugmentationOptions
{
    /// <summary>The defaults described on the type.</summary>
    public static AugmentationOptions Default { get; } = new();

    /// <summary>No transform at all: images reach the network unchanged.</summary>
    public static AugmentationOptions None { get; } = new()
    {
        PhotoCropMinArea = 1,
        PhotoCropMaxAspectChange = 1,
        PhotoFlipProbability = 0,
        SketchFlipProbability = 0,
        SketchMaxRotationDegrees = 0,
        SketchMinScale = 1,
        SketchMaxScale = 1,
        SketchMaxTranslation = 0,
    };

    /// <summary>
    /// The photo crop covers a uniformly drawn fraction in [this, 1] of the photo's area (default 0.85; 1 = no crop),
    /// and is scaled back to the photo's size. In (0, 1].
    /// </summary>
    public double PhotoCropMinArea { get; init; } = 0.85;

    /// <summary>
    /// The crop's aspect ratio, relative to the photo's, is drawn log-uniformly in [1/this, this] (default 4/3; 1 keeps
    /// the photo's aspect); a crop that would not fit is clamped to the photo's width or height, keeping its area. ≥ 1.
    /// </summary>
    public double PhotoCropMaxAspectChange { get; init; } = 4.0 / 3.0;

    /// <summary>Probability of a horizontal flip of a photo (and its token map) (default 0.5). In [0, 1].</summary>
    public double PhotoFlipProbability { get; init; } = 0.5;

    /// <summary>Probability of a horizontal flip of a sketch (default 0.5). In [0, 1].</summary>
    public double SketchFlipProbability { get; init; } = 0.5;

    /// <summary>Sketch rotation about the centre, uniform in ±this many degrees (default 10). In [0, 180].</summary>
    public double SketchMaxRotationDegrees { get; init; } = 10;

    /// <summary>Lower bound of the sketch's uniform scale factor (default 0.9). &gt; 0 and ≤ <see cref="SketchMaxScale"/>.</summary>
    public double SketchMinScale { get; init; } = 0.9;

    /// <summary>Upper bound of the sketch's uniform scale factor (default 1.1). ≤ 4.</summary>
    public double SketchMaxScale { get; init; } = 1.1;

    /// <summary>Sketch translation, uniform in ±this fraction of the width (x) and height (y) (default 0.05). In [0, 0.5].</summary>
    public double SketchMaxTranslation { get; init; } = 0.05;

    /// <summary>Colour of the area a sketch transform uncovers (default white, the paper).</summary>
    public RgbColor SketchFillColor { get; init; } = RgbColor.White;

    /// <summary>
    /// The settings as checkpoint headers record them: the record's text with the fill colour written as
    /// <c>Rgb24(r, g, b)</c>, the form they have always stored, so checkpoints of earlier versions still resume.
    /// </summary>
    internal string CheckpointText() =>
        ToString().Replace(
            $"{nameof(SketchFillColor)} = {SketchFillColor}",
            $"{nameof(SketchFillColor)} = Rgb24({SketchFillColor.R}, {SketchFillColor.G}, {SketchFillColor.B})",
            StringComparison.Ordinal);

    /// <summary>Throws when a setting is out of range; returns this instance otherwise.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public AugmentationOptions Validated()
    {
        OptionChecks.Require(PhotoCropMinArea > 0 && PhotoCropMinArea <= 1, nameof(PhotoCropMinArea), "in (0, 1]", PhotoCropMinArea);
        OptionChecks.Require(PhotoCropMaxAspectChange >= 1 && PhotoCropMaxAspectChange <= 10, nameof(PhotoCropMaxAspectChange), "in [1, 10]", PhotoCropMaxAspectChange);
        OptionChecks.Require(PhotoFlipProbability is >= 0 and <= 1, nameof(PhotoFlipProbability), "in [0, 1]", PhotoFlipProbability);
        OptionChecks.Require(SketchFlipProbability is >= 0 and <= 1, nameof(SketchFlipProbability), "in [0, 1]", SketchFlipProbability);
        OptionChecks.Require(SketchMaxRotationDegrees is >= 0 and <= 180, nameof(SketchMaxRotationDegrees), "in [0, 180]", SketchMaxRotationDegrees);
        OptionChecks.Require(SketchMinScale > 0 && SketchMinScale <= SketchMaxScale, nameof(SketchMinScale), $"> 0 and ≤ SketchMaxScale ({SketchMaxScale})", SketchMinScale);
        OptionChecks.Require(SketchMaxScale <= 4, nameof(SketchMaxScale), "≤ 4", SketchMaxScale);
        OptionChecks.Require(SketchMaxTranslation is >= 0 and <= 0.5, nameof(SketchMaxTranslation), "in [0, 0.5]", SketchMaxTranslation);
        return this;
    }
}
