using Dsh.Imaging;

namespace Dsh.Data;

/// <summary>
/// One sketch or one photo: a file (<see cref="Path"/>) or an in-memory image (<see cref="Image"/>), exactly one
/// of the two, plus its category label, split and pairing group. Build one with <see cref="FromFile"/> or
/// <see cref="FromImage"/>, which check that rule; <see cref="SbirDataset.FromItems"/> checks it again.
/// </summary>
public sealed record SbirItem
{
    /// <summary>The image file (absolute when a loader made the item), or <see langword="null"/> for an in-memory image.</summary>
    public string? Path { get; init; }

    /// <summary>The in-memory image, or <see langword="null"/> for a file.</summary>
    public RgbImage? Image { get; init; }

    /// <summary>Index into <see cref="SbirDataset.Categories"/>.</summary>
    public required int Label { get; init; }

    /// <summary>Train or Query for sketches, Gallery for photos.</summary>
    public SbirSplit Split { get; init; }

    /// <summary>
    /// Items that must stay on one side of a split, such as the sketches drawn from one photo (and that photo);
    /// <see langword="null"/> when the item is its own group. Loaders name groups <c>&lt;category&gt;/&lt;photoId&gt;</c>.
    /// </summary>
    public string? Group { get; init; }

    /// <summary>An item read from an image file.</summary>
    /// <param name="path">The file; must not be empty.</param>
    /// <param name="label">Index into the dataset's categories; must be ≥ 0.</param>
    /// <param name="split">Train or Query for a sketch, Gallery for a photo.</param>
    /// <param name="group">Optional pairing group (see <see cref="Group"/>).</param>
    /// <exception cref="ArgumentException">The path is empty, the label negative or the split undefined.</exception>
    public static SbirItem FromFile(string path, int label, SbirSplit split = SbirSplit.Train, string? group = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Checked(new SbirItem { Path = path, Label = label, Split = split, Group = group });
    }

    /// <summary>An item held in memory.</summary>
    /// <param name="image">The pixels (an <see cref="RgbImage"/> is immutable, so the dataset can hold it as it is).</param>
    /// <param name="label">Index into the dataset's categories; must be ≥ 0.</param>
    /// <param name="split">Train or Query for a sketch, Gallery for a photo.</param>
    /// <param name="group">Optional pairing group (see <see cref="Group"/>).</param>
    /// <exception cref="ArgumentException">The label is negative or the split undefined.</exception>
    public static SbirItem FromImage(RgbImage image, int label, SbirSplit split = SbirSplit.Train, string? group = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Checked(new SbirItem { Image = image, Label = label, Split = split, Group = group });
    }

    private static SbirItem Checked(SbirItem item)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(item.Label, "label");
        if (!Enum.IsDefined(item.Split))
        {
            throw new ArgumentException($"Split {(int)item.Split} is not a defined SbirSplit.", "split");
        }
        return item;
    }
}
