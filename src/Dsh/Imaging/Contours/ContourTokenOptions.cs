using System.Globalization;

namespace Dsh.Imaging.Contours;

/// <summary>
/// Settings of <see cref="ContourTokenExtractor"/> (see docs/imaging.md for the algorithm). Every setting enters the
/// extractor's <see cref="ISketchTokenExtractor.Name"/>, so cached maps never mix settings.
/// </summary>
public sealed record ContourTokenOptions
{
    /// <summary>The defaults: σ ∈ {1, 2}, high threshold at the 90th percentile, low = 0.4·high, 1 px thickening, 4 px border fade.</summary>
    public static ContourTokenOptions Default { get; } = new();

    /// <summary>Gaussian σ (pixels) of each scale whose normalised gradient magnitudes are averaged (default 1 and 2). Each in (0, 16].</summary>
    public IReadOnlyList<double> Scales { get; init; } = new[] { 1.0, 2.0 };

    /// <summary>
    /// The high hysteresis threshold is this quantile of the combined gradient magnitude over all pixels (default 0.90),
    /// so the map adapts to the photo's contrast. In (0, 1).
    /// </summary>
    public double HighPercentile { get; init; } = 0.90;

    /// <summary>The low hysteresis threshold as a fraction of the high one (default 0.4). In (0, 1].</summary>
    public double LowRatio { get; init; } = 0.4;

    /// <summary>
    /// The high threshold is at least this fraction of the strongest combined magnitude (default 0.15), so a photo with
    /// few real edges does not turn its faint texture into strokes. In [0, 1).
    /// </summary>
    public double MinHighFraction { get; init; } = 0.15;

    /// <summary>Connected strokes (8-neighbourhood, before thickening) with fewer pixels are dropped as specks (default 8). ≥ 1.</summary>
    public int MinStrokePixels { get; init; } = 8;

    /// <summary>Strokes are dilated by this many pixels in each direction (default 1: 3 px wide lines; 0 keeps 1 px lines). In [0, 4].</summary>
    public int StrokeRadius { get; init; } = 1;

    /// <summary>
    /// Border fade f (default 4): edge strength is cleared in the outer f pixels and ramps linearly to full over the next
    /// f, so frames and letterbox bars at the image edge draw no strokes. 0 disables it. ≥ 0.
    /// </summary>
    public int BorderFade { get; init; } = 4;

    /// <summary>
    /// A photo whose longer side exceeds this (default 320) is scaled down to it for extraction and the map scaled back,
    /// so strokes keep a similar width relative to the picture and large photos stay fast. ≥ 16.
    /// </summary>
    public int MaxWorkingSide { get; init; } = 320;

    /// <summary>Throws when a setting is out of range; returns this instance otherwise.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public ContourTokenOptions Validated()
    {
        if (Scales is null || Scales.Count == 0)
        {
            throw new ArgumentException("Scales must list at least one Gaussian σ.", nameof(Scales));
        }
        foreach (double sigma in Scales)
        {
            if (!(sigma > 0 && sigma <= 16))
            {
                throw new ArgumentException($"Each of Scales must be in (0, 16] pixels, not {sigma}.", nameof(Scales));
            }
        }
        OptionChecks.Require(HighPercentile > 0 && HighPercentile < 1, nameof(HighPercentile), "in (0, 1)", HighPercentile);
        OptionChecks.Require(LowRatio > 0 && LowRatio <= 1, nameof(LowRatio), "in (0, 1]", LowRatio);
        OptionChecks.Require(MinHighFraction >= 0 && MinHighFraction < 1, nameof(MinHighFraction), "in [0, 1)", MinHighFraction);
        OptionChecks.Require(MinStrokePixels >= 1, nameof(MinStrokePixels), "≥ 1", MinStrokePixels);
        OptionChecks.Require(StrokeRadius is >= 0 and <= 4, nameof(StrokeRadius), "in [0, 4]", StrokeRadius);
        OptionChecks.Require(BorderFade >= 0, nameof(BorderFade), "≥ 0", BorderFade);
        OptionChecks.Require(MaxWorkingSide >= 16, nameof(MaxWorkingSide), "≥ 16", MaxWorkingSide);
        return this;
    }

    /// <summary>The settings as they appear in the extractor's name, e.g. <c>scales=1,2;high=0.9;…</c>.</summary>
    internal string Describe()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        return string.Join(';',
            "scales=" + string.Join(',', Scales.Select(s => s.ToString("R", c))),
            "high=" + HighPercentile.ToString("R", c),
            "low=" + LowRatio.ToString("R", c),
            "floor=" + MinHighFraction.ToString("R", c),
            "min=" + MinStrokePixels.ToString(c),
            "stroke=" + StrokeRadius.ToString(c),
            "fade=" + BorderFade.ToString(c),
            "side=" + MaxWorkingSide.ToString(c));
    }
}
