using System.Globalization;
using Dsh.Data;
using Dsh.Quality.Pacs;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;

namespace Dsh.Quality.QuickDraw;

/// <summary>
/// The seeded QuickDraw × CIFAR-10 split (see <see cref="QuickDrawCifarProtocol"/>): drawings rendered once as PNG
/// under <c>workDir/sketches-&lt;canvas&gt;-&lt;size&gt;/&lt;cifar class&gt;/&lt;index in the file&gt;.png</c> so the normal loaders
/// and <see cref="DshModel.EncodeSketches"/> read them, CIFAR photos by path. Queries and gallery are put in a seeded
/// shuffled order (ties in Hamming distance break by gallery position).
/// </summary>
internal sealed class QuickDrawCifarSplit
{
    private QuickDrawCifarSplit(IReadOnlyList<string> categories, List<SbirItem> trainSketches, List<SbirItem> trainPhotos,
        List<SbirItem> querySketches, List<SbirItem> galleryPhotos)
    {
        Categories = categories;
        TrainSketches = trainSketches;
        TrainPhotos = trainPhotos;
        QuerySketches = querySketches;
        GalleryPhotos = galleryPhotos;
    }

    /// <summary>CIFAR-10 class names, in <see cref="QuickDrawCifarCategories.For"/> order (label i = category i).</summary>
    public IReadOnlyList<string> Categories { get; }
    public IReadOnlyList<SbirItem> TrainSketches { get; }
    public IReadOnlyList<SbirItem> TrainPhotos { get; }
    public IReadOnlyList<SbirItem> QuerySketches { get; }
    public IReadOnlyList<SbirItem> GalleryPhotos { get; }

    /// <summary>The training side as a dataset (sketches <see cref="SbirSplit.Train"/>, photos <see cref="SbirSplit.Gallery"/>).</summary>
    public SbirDataset TrainingDataset() => SbirDataset.FromItems(Categories,
        TrainSketches.Select(s => s with { Split = SbirSplit.Train }),
        TrainPhotos.Select(p => p with { Split = SbirSplit.Gallery }));

    public static QuickDrawCifarSplit Create(string drawingsDir, string cifarRoot, string workDir, QuickDrawCifarProtocol protocol)
    {
        protocol = protocol.Validated();
        string sketchRoot = Path.Combine(workDir, string.Create(CultureInfo.InvariantCulture, $"sketches-{protocol.Canvas}-{protocol.SketchSize}"));
        IReadOnlyList<(string QuickDraw, string Cifar)> map = QuickDrawCifarCategories.For(protocol.EqualNamesOnly);
        var categories = map.Select(m => m.Cifar).ToArray();
        List<SbirItem> trainS = [], trainP = [], queryS = [], galleryP = [];
        for (int label = 0; label < categories.Length; label++)
        {
            var (quickDraw, cifar) = map[label];
            IReadOnlyList<float[]> drawings = QuickDrawRasters.ReadCategory(drawingsDir, quickDraw);
            if (drawings.Count < protocol.TrainSketches + protocol.QuerySketches)
            {
                throw new InvalidDataException($"{quickDraw}: {drawings.Count} drawings, the protocol needs {protocol.TrainSketches + protocol.QuerySketches}.");
            }
            var order = Enumerable.Range(0, drawings.Count).ToList();
            GroupedValidationSplit.Shuffle(order, GroupedValidationSplit.SeededRandom(protocol.Seed, cifar, "quickdraw-drawings"));
            string folder = Path.Combine(sketchRoot, cifar);
            Directory.CreateDirectory(folder);
            for (int i = 0; i < protocol.TrainSketches + protocol.QuerySketches; i++)
            {
                int index = order[i];
                string path = Path.Combine(folder, index.ToString("D3", CultureInfo.InvariantCulture) + ".png");
                if (!File.Exists(path))
                {
                    using Image<Rgb24> image = QuickDrawRasters.Render(drawings[index], protocol.Canvas, protocol.SketchSize);
                    string temp = path + ".tmp";
                    image.SaveAsPng(temp);
                    File.Move(temp, path, overwrite: true);
                }
                SbirItem item = SbirItem.FromFile(path, label);
                (i < protocol.TrainSketches ? trainS : queryS).Add(item);
            }

            string photoFolder = Path.Combine(cifarRoot, cifar);
            var photos = Directory.GetFiles(photoFolder, "*.jpg").Order(StringComparer.Ordinal).ToList();
            if (photos.Count < protocol.TrainPhotos + protocol.GalleryPhotos)
            {
                throw new InvalidDataException($"{photoFolder}: {photos.Count} photos, the protocol needs {protocol.TrainPhotos + protocol.GalleryPhotos}.");
            }
            GroupedValidationSplit.Shuffle(photos, GroupedValidationSplit.SeededRandom(protocol.Seed, cifar, "cifar-photos"));
            trainP.AddRange(photos.Take(protocol.TrainPhotos).Select(p => SbirItem.FromFile(p, label, SbirSplit.Gallery)));
            galleryP.AddRange(photos.Skip(protocol.TrainPhotos).Take(protocol.GalleryPhotos).Select(p => SbirItem.FromFile(p, label, SbirSplit.Gallery)));
        }
        GroupedValidationSplit.Shuffle(queryS, GroupedValidationSplit.SeededRandom(protocol.Seed, "", "query-order"));
        GroupedValidationSplit.Shuffle(galleryP, GroupedValidationSplit.SeededRandom(protocol.Seed, "", "gallery-order"));
        var split = new QuickDrawCifarSplit(categories, trainS, trainP, queryS, galleryP);
        split.Verify(protocol);
        return split;
    }

    /// <summary>Self-check: the protocol's counts in every category, and no file on two sides.</summary>
    private void Verify(QuickDrawCifarProtocol protocol)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (SbirItem item in TrainSketches.Concat(QuerySketches).Concat(TrainPhotos).Concat(GalleryPhotos))
        {
            if (!seen.Add(item.Path!))
            {
                throw new InvalidOperationException($"{item.Path} is on two sides of the split.");
            }
        }
        for (int label = 0; label < Categories.Count; label++)
        {
            int l = label;
            int[] counts = [TrainSketches.Count(i => i.Label == l), QuerySketches.Count(i => i.Label == l),
                TrainPhotos.Count(i => i.Label == l), GalleryPhotos.Count(i => i.Label == l)];
            if (!counts.SequenceEqual([protocol.TrainSketches, protocol.QuerySketches, protocol.TrainPhotos, protocol.GalleryPhotos]))
            {
                throw new InvalidOperationException($"{Categories[label]}: counts {string.Join('/', counts)} differ from the protocol.");
            }
        }
    }
}
