using System.Globalization;
using Dsh.Data;
using Dsh.Model;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Dsh.Quality;

/// <summary>
/// Test-time views for the probes: each item's image transformed, written as PNG (so nothing but the transform changes)
/// and encoded the way the model encodes its domain; outputs averaged with the item's own.
/// </summary>
internal static class ImageViews
{
    /// <summary>The items' outputs with each image replaced by <paramref name="view"/> of it, the PNGs kept in <paramref name="dir"/> for later runs.</summary>
    public static IReadOnlyList<float[]> Embed(DshModel model, IReadOnlyList<SbirItem> items, string dir, bool photos, Func<Image<Rgb24>, Image> view)
    {
        Directory.CreateDirectory(dir);
        var paths = new string[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            paths[i] = Path.Combine(dir, i.ToString("D5", CultureInfo.InvariantCulture) + ".png");
            if (!File.Exists(paths[i]))
            {
                using Image<Rgb24> image = Image.Load<Rgb24>(items[i].Path!);
                using Image transformed = view(image);
                transformed.SaveAsPng(paths[i]);
            }
        }
        EncodedFiles encoded = photos ? model.EmbedPhotoFiles(paths) : model.EmbedSketchFiles(paths);
        if (encoded.Skipped.Count > 0)
        {
            throw new InvalidDataException(encoded.Skipped[0].ToString());
        }
        return encoded.Embeddings!;
    }

    /// <summary>Per item, (<paramref name="ownWeight"/> · own + Σ views) / (<paramref name="ownWeight"/> + view count).</summary>
    public static IReadOnlyList<float[]> Average(IReadOnlyList<float[]> own, float ownWeight, IReadOnlyList<IReadOnlyList<float[]>> views) =>
        [.. own.Select((x, i) =>
        {
            float[] sum = [.. x.Select(v => v * ownWeight)];
            foreach (IReadOnlyList<float[]> view in views)
            {
                for (int j = 0; j < sum.Length; j++)
                {
                    sum[j] += view[i][j];
                }
            }
            return sum.Select(v => v / (ownWeight + views.Count)).ToArray();
        })];
}
