using Dsh.Cli.Running;
using Dsh.Data;
using Dsh.Hashing;
using Dsh.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Dsh.Cli.Reporting;

/// <summary>
/// The eval report's picture of what the numbers mean: one row per category (its first query sketch, then the top
/// results as the evaluation ranked them), each result framed green when its category is the query's and red when
/// not. Images are read within the default decoding limits; one that cannot be read is left grey.
/// </summary>
internal static class ContactSheet
{
    /// <summary>The image's name in the report folder.</summary>
    public const string FileName = "contact-sheet.png";

    private const int Thumb = 96, Border = 4, Gap = 12, Margin = 8;
    private static readonly Rgb24 Background = new(245, 245, 245), Relevant = new(34, 160, 60), Wrong = new(210, 40, 40), Missing = new(200, 200, 200);

    /// <summary>Writes the sheet for at most <paramref name="rows"/> categories and <paramref name="top"/> results each.</summary>
    public static void Write(EvaluationOutcome outcome, string path, int rows = 8, int top = 8)
    {
        var chosen = new List<int>();
        for (int label = 0; label < outcome.Categories.Count && chosen.Count < rows; label++)
        {
            int query = IndexOf(outcome.Queries, label);
            if (query >= 0)
            {
                chosen.Add(query);
            }
        }
        int cell = Thumb + 2 * Border;
        int columns = 1 + Math.Min(top, outcome.Gallery.Count);
        using var sheet = new Image<Rgb24>(2 * Margin + columns * cell + Gap, 2 * Margin + Math.Max(1, chosen.Count) * (cell + Margin), Background);
        for (int row = 0; row < chosen.Count; row++)
        {
            int y = Margin + row * (cell + Margin);
            SbirItem query = outcome.Queries[chosen[row]];
            Place(sheet, query, Margin, y, frame: null);
            int x = Margin + cell + Gap;
            foreach (Neighbor hit in outcome.TopResults(chosen[row], top))
            {
                SbirItem photo = outcome.Gallery[(int)hit.Id];
                Place(sheet, photo, x, y, photo.Label == query.Label ? Relevant : Wrong);
                x += cell;
            }
        }
        sheet.SaveAsPng(path);
    }

    private static int IndexOf(IReadOnlyList<SbirItem> items, int label)
    {
        for (int i = 0; i < items.Count; i++)
        {
            if (items[i].Label == label)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Draws the item letterboxed into a thumbnail cell at (x, y), with a coloured frame when given.</summary>
    private static void Place(Image<Rgb24> sheet, SbirItem item, int x, int y, Rgb24? frame)
    {
        if (frame is { } color)
        {
            Fill(sheet, x, y, Thumb + 2 * Border, Thumb + 2 * Border, color);
        }
        using Image<Rgb24>? picture = Load(item);
        if (picture is null)
        {
            Fill(sheet, x + Border, y + Border, Thumb, Thumb, Missing);
            return;
        }
        picture.Mutate(p => p.Resize(new ResizeOptions { Size = new Size(Thumb, Thumb), Mode = ResizeMode.Pad, PadColor = Color.White }));
        sheet.Mutate(p => p.DrawImage(picture, new Point(x + Border, y + Border), 1f));
    }

    private static Image<Rgb24>? Load(SbirItem item)
    {
        try
        {
            RgbImage rgb = item.Image ?? RgbImage.Load(item.Path!);
            return Image.LoadPixelData<Rgb24>(rgb.Pixels.Span, rgb.Width, rgb.Height);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void Fill(Image<Rgb24> image, int x, int y, int width, int height, Rgb24 color)
    {
        for (int row = y; row < y + height && row < image.Height; row++)
        {
            for (int column = x; column < x + width && column < image.Width; column++)
            {
                image[column, row] = color;
            }
        }
    }
}
