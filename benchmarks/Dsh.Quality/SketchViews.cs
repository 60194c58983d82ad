using System.Globalization;
using Dsh.Data;
using Dsh.Model;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Dsh.Quality;

/// <summary>
/// The <c>sketchViews=1</c> rows of <c>dsh-pacs</c>: test-time views of the query sketches. Each sketch is also encoded
/// zoomed out (drawn at 0.85 of its side on a white canvas of the same size), zoomed in (the centre keeping 0.9 of each
/// side) and rotated by ±8° (white fill), each written as PNG and encoded as the model encodes sketches; the outputs
/// averaged with the sketch's own and the code taken from the average's signs; the gallery as the run encoded it.
/// </summary>
internal static class SketchViews
{
    private static readonly string[] Names = ["zoom-out", "zoom-in", "rotate-left", "rotate-right"];

    public static void Run(DshModel model, DshTrainAndEncode run, IReadOnlyList<SbirItem> queries, IReadOnlyList<SbirItem> gallery,
        string outDir, string tag, int depth, Action<string> say)
    {
        var inv = CultureInfo.InvariantCulture;
        var views = new List<IReadOnlyList<float[]>>();
        foreach (string name in Names)
        {
            views.Add(ImageViews.Embed(model, queries, Path.Combine(outDir, $"sketch-views-{tag}-{name}"), photos: false, image => View(image, name)));
        }
        string?[] queryGroups = [.. queries.Select(q => q.Group)];
        string?[] galleryGroups = [.. gallery.Select(g => g.Group)];
        say(string.Create(inv, $"| query views | mAP@all | re-ranked (codes, depth {depth}) | P@10 |"));
        say("| --- | ---: | ---: | ---: |");
        foreach (var (name, members) in new (string, int[])[]
        {
            ("the sketch only", []),
            ("+ zoomed out", [0]),
            ("+ zoomed in", [1]),
            ("+ rotated ±8°", [2, 3]),
            ("+ zoomed out and in", [0, 1]),
            ("+ all four", [0, 1, 2, 3]),
        })
        {
            IReadOnlyList<float[]> q = ImageViews.Average(run.QueryEmbeddings!, 1, [.. members.Select(m => views[m])]);
            say(ImageViews.Row(name, run, ImageViews.Codes(q, model.CodeLength), q, queryGroups, run.Gallery, run.GalleryEmbeddings, galleryGroups, depth));
        }
    }

    private static Image View(Image<Rgb24> image, string name)
    {
        int w = image.Width, h = image.Height;
        switch (name)
        {
            case "zoom-out":
                using (Image<Rgb24> small = image.Clone(c => c.Resize((int)Math.Round(w * 0.85), (int)Math.Round(h * 0.85))))
                {
                    var canvas = new Image<Rgb24>(w, h, new Rgb24(255, 255, 255));
                    canvas.Mutate(c => c.DrawImage(small, new Point((w - small.Width) / 2, (h - small.Height) / 2), 1f));
                    return canvas;
                }
            case "zoom-in":
                int cw = (int)Math.Round(w * 0.9), ch = (int)Math.Round(h * 0.9);
                return image.Clone(c => c.Crop(new Rectangle((w - cw) / 2, (h - ch) / 2, cw, ch)));
            default:
                // RGBA so that the corners the rotation uncovers can be filled white
                Image<Rgba32> rotated = image.CloneAs<Rgba32>();
                rotated.Mutate(c => c.Rotate(name == "rotate-left" ? -8 : 8));
                rotated.Mutate(c => c.BackgroundColor(Color.White).Crop(new Rectangle((rotated.Width - w) / 2, (rotated.Height - h) / 2, w, h)));
                return rotated;
        }
    }
}
