using System.Globalization;
using Dsh.Data;
using Dsh.Model;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Dsh.Quality;

/// <summary>
/// The <c>crops=F</c> rows of <c>dsh-pacs</c>: test-time crops of the gallery photos. Each photo is also encoded as
/// crops keeping the fraction F of each side (the centre and the four corners; written as PNG, each encoded the way
/// the model encodes photos, so mirrored where it mirrors), the real-valued outputs averaged with the photo's own,
/// and the code taken from the average's signs; queries as the run encoded them.
/// </summary>
internal static class CropViews
{
    private static readonly string[] Names = ["centre", "top-left", "top-right", "bottom-left", "bottom-right"];

    public static void Run(DshModel model, DshTrainAndEncode run, IReadOnlyList<SbirItem> queries, IReadOnlyList<SbirItem> gallery,
        double fraction, string outDir, string tag, int depth, Action<string> say)
    {
        var inv = CultureInfo.InvariantCulture;
        var views = new List<IReadOnlyList<float[]>>();
        foreach (string name in Names)
        {
            string dir = Path.Combine(outDir, string.Create(inv, $"crops-{tag}-{fraction:F2}-{name}"));
            views.Add(ImageViews.Embed(model, gallery, dir, photos: true, image => Crop(image, fraction, name)));
        }
        string?[] queryGroups = [.. queries.Select(q => q.Group)];
        string?[] galleryGroups = [.. gallery.Select(g => g.Group)];
        say(string.Create(inv, $"| gallery views (crops keeping {fraction:F2} of each side) | mAP@all | re-ranked (codes, depth {depth}) | P@10 |"));
        say("| --- | ---: | ---: | ---: |");
        foreach (var (name, members, weight) in new (string, int[], float)[]
        {
            ("the photo only", [], 1),
            ("+ centre", [0], 1),
            ("+ centre, photo weighted 2", [0], 2),
            ("+ four corners", [1, 2, 3, 4], 1),
            ("+ centre and four corners", [0, 1, 2, 3, 4], 1),
            ("centre and four corners, photo weighted 5", [0, 1, 2, 3, 4], 5),
        })
        {
            IReadOnlyList<float[]> g = ImageViews.Average(run.GalleryEmbeddings!, weight, [.. members.Select(m => views[m])]);
            say(ImageViews.Row(name, run, run.Queries, run.QueryEmbeddings, queryGroups, ImageViews.Codes(g, model.CodeLength), g, galleryGroups, depth));
        }
    }

    private static Image Crop(Image<Rgb24> image, double fraction, string name)
    {
        int w = Math.Max(1, (int)Math.Round(image.Width * fraction)), h = Math.Max(1, (int)Math.Round(image.Height * fraction));
        int x = name switch { "centre" => (image.Width - w) / 2, "top-left" or "bottom-left" => 0, _ => image.Width - w };
        int y = name switch { "centre" => (image.Height - h) / 2, "top-left" or "top-right" => 0, _ => image.Height - h };
        return image.Clone(c => c.Crop(new Rectangle(x, y, w, h)));
    }
}
