using Dsh.Data;
using Dsh.Imaging;
using Dsh.Model;
using Dsh.Pretrained;

namespace Dsh.Training;

/// <summary>
/// The ResNet18 profile's rule for small photos (<see cref="DshTrainerOptions.SmallPhotoSide"/>): ImageNet features of a
/// photo enlarged from a few dozen pixels separate categories poorly, and letting the photo trunk's last stage learn pays
/// there (QuickDraw × CIFAR-10, 32 px photos: mAP 0.464 → 0.565) while it only costs time on photos of 200 px and more
/// (PACS). Such a model encodes each photo once: mirroring them (<see cref="DshArchitecture.MirrorPhotos"/>, which pays on
/// PACS) cost it 0.008 mAP and 0.045 P@10 on QuickDraw × CIFAR-10. The photos' size is read from their headers (no pixel
/// is decoded).
/// </summary>
internal static class SmallPhotoRule
{
    /// <summary>Photos whose headers are read to find the median side: evenly spaced over the dataset.</summary>
    private const int Sample = 256;

    /// <summary>
    /// <paramref name="options"/> with the photo trunk's last stage learning when the rule applies to
    /// <paramref name="dataset"/>'s photos, else <paramref name="options"/> itself; <paramref name="medianSide"/> is the
    /// median shorter side of the photos (0 when the rule is off, the trunk is not a fully frozen ResNet-18, or no photo
    /// header could be read).
    /// </summary>
    public static DshTrainerOptions Apply(DshTrainerOptions options, SbirDataset dataset, out int medianSide)
    {
        medianSide = 0;
        if (options.SmallPhotoSide == 0 || WithLastPhotoStageLearning(options.Architecture) is not { } architecture)
        {
            return options;
        }
        medianSide = MedianShorterSide(dataset.Photos, dataset.Decoding);
        if (medianSide == 0 || medianSide >= options.SmallPhotoSide)
        {
            return options;
        }
        return options with { Architecture = architecture.Validated() };
    }

    /// <summary>
    /// <paramref name="architecture"/> with its photo trunk's last stage learning and photos encoded once, as the rule makes
    /// it; null when the photo trunk is not a fully frozen ImageNet ResNet-18.
    /// </summary>
    internal static DshArchitecture? WithLastPhotoStageLearning(DshArchitecture architecture) =>
        architecture.PhotoTrunk is ResNet18TrunkSpec { FrozenStages: 4 } photo
            ? architecture with { PhotoTrunk = photo with { FrozenStages = 3 }, MirrorPhotos = false }
            : null;

    /// <summary>
    /// Whether the photo trunk is an ImageNet ResNet-18 with a learning stage (what the rule makes, or set by hand): the
    /// defaults of <see cref="DshTrainerOptions.AveragedEpochs"/> and of the learning rate follow it.
    /// </summary>
    internal static bool PhotoTrunkLearns(DshArchitecture? architecture) => architecture?.PhotoTrunk is ResNet18TrunkSpec { FrozenStages: < 4 };

    /// <summary>The median of min(width, height) over up to <see cref="Sample"/> photos; unreadable ones are left out (0 if none is readable).</summary>
    internal static int MedianShorterSide(IReadOnlyList<SbirItem> photos, ImageDecodingOptions decoding)
    {
        var sides = new List<int>(Math.Min(Sample, photos.Count));
        int step = Math.Max(1, photos.Count / Sample);
        for (int i = 0; i < photos.Count && sides.Count < Sample; i += step)
        {
            if (ShorterSide(photos[i], decoding) is int side)
            {
                sides.Add(side);
            }
        }
        if (sides.Count == 0)
        {
            return 0;
        }
        sides.Sort();
        return sides[sides.Count / 2];
    }

    private static int? ShorterSide(SbirItem photo, ImageDecodingOptions decoding)
    {
        if (photo.Image is { } image)
        {
            return Math.Min(image.Width, image.Height);
        }
        try
        {
            using FileStream file = File.OpenRead(photo.Path!);
            ImageFileInfo info = DshImaging.Identify(file, decoding);
            return Math.Min(info.Width, info.Height);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null; // training skips and reports it
        }
    }
}
