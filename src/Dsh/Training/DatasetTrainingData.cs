using System.IO.Hashing;
using System.Text;
using Dsh.Data;
using Dsh.Imaging.Augmentation;
using Dsh.Imaging;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;
using static TorchSharp.torch;

namespace Dsh.Training;

/// <summary>
/// Serves an <see cref="SbirDataset"/> to the training loop: the training sketches and all photos, decoded,
/// prepared (sketches as black strokes on white; photos with their sketch-token maps), augmented when asked, and
/// stacked into tensors at the architecture's input sizes. Items of a batch are decoded in parallel; every random
/// draw comes from the caller's Random, one seed per item drawn in order, so batches are reproducible.
/// </summary>
internal sealed class DatasetTrainingData : IDshTrainingData
{
    private readonly SbirItem[] _sketches;
    private readonly SbirItem[] _photos;
    private readonly DshArchitecture _architecture;
    private readonly ImageAugmenter _augmenter;
    private readonly DshImageSource _images;

    public DatasetTrainingData(SbirDataset dataset, DshArchitecture architecture, AugmentationOptions augmentation, DshImageSource images)
    {
        _sketches = dataset.TrainingSketches.ToArray();
        _photos = dataset.Photos.ToArray();
        _architecture = architecture;
        _augmenter = new ImageAugmenter(augmentation);
        _images = images;
        Categories = dataset.Categories;
        SketchLabels = _sketches.Select(s => s.Label).ToArray();
        PhotoLabels = _photos.Select(p => p.Label).ToArray();
        Fingerprint = ComputeFingerprint(dataset.Categories, _sketches, _photos);
    }

    public IReadOnlyList<string> Categories { get; }
    public int[] PhotoLabels { get; }
    public int[] SketchLabels { get; }
    public string Fingerprint { get; }

    public Tensor SketchBatch(IReadOnlyList<int> indices, Random? augmentation)
    {
        int[] seeds = Seeds(indices.Count, augmentation);
        var images = new Image<Rgb24>[indices.Count];
        try
        {
            ParallelItems.For(indices.Count, j =>
            {
                using Image<Rgb24> sketch = _images.Sketch(_sketches[indices[j]]);
                images[j] = augmentation is null ? sketch.Clone() : _augmenter.AugmentSketch(sketch, new Random(seeds[j]));
            });
            return DshImaging.ToTensor(images, _architecture.SketchInput);
        }
        finally
        {
            DisposeAll(images);
        }
    }

    public (Tensor Photos, Tensor Tokens) PhotoBatch(IReadOnlyList<int> indices, Random? augmentation)
    {
        int[] seeds = Seeds(indices.Count, augmentation);
        var photos = new Image<Rgb24>[indices.Count];
        var tokens = new Image<Rgb24>[indices.Count];
        try
        {
            ParallelItems.For(indices.Count, j =>
            {
                (Image<Rgb24> photo, Image<Rgb24> token) = _images.PhotoWithToken(_photos[indices[j]]);
                if (augmentation is null)
                {
                    (photos[j], tokens[j]) = (photo, token);
                    return;
                }
                using (photo)
                using (token)
                {
                    (photos[j], tokens[j]) = _augmenter.AugmentPhotoWithToken(photo, token, new Random(seeds[j]));
                }
            });
            using var scope = NewDisposeScope();
            Tensor p = DshImaging.ToTensor(photos, _architecture.PhotoInput);
            Tensor t = DshImaging.ToTensor(tokens, _architecture.SketchTokenInput);
            return (p.MoveToOuterDisposeScope(), t.MoveToOuterDisposeScope());
        }
        finally
        {
            DisposeAll(photos);
            DisposeAll(tokens);
        }
    }

    private static int[] Seeds(int count, Random? random)
    {
        int[] seeds = new int[count];
        if (random is not null)
        {
            for (int i = 0; i < count; i++)
            {
                seeds[i] = random.Next();
            }
        }
        return seeds;
    }

    private static void DisposeAll(Image<Rgb24>?[] images)
    {
        foreach (var image in images)
        {
            image?.Dispose();
        }
    }

    /// <summary>
    /// Categories, then each item's label, file name with its parent folder, and size (or its in-memory position),
    /// hashed: a resumed run must see the same items, wherever the dataset folder has been moved.
    /// </summary>
    private static string ComputeFingerprint(IReadOnlyList<string> categories, SbirItem[] sketches, SbirItem[] photos)
    {
        var hash = new XxHash128();
        void Add(string s) => hash.Append(Encoding.UTF8.GetBytes(s + "\n"));
        foreach (string c in categories)
        {
            Add("c:" + c);
        }
        for (int i = 0; i < sketches.Length; i++)
        {
            Add($"s:{sketches[i].Label}:{Identity(sketches[i], i)}");
        }
        for (int i = 0; i < photos.Length; i++)
        {
            Add($"p:{photos[i].Label}:{Identity(photos[i], i)}");
        }
        return Convert.ToHexString(hash.GetCurrentHash());
    }

    private static string Identity(SbirItem item, int position)
    {
        if (item.Path is null)
        {
            return "memory#" + position;
        }
        string folder = Path.GetFileName(Path.GetDirectoryName(item.Path) ?? "");
        long size = File.Exists(item.Path) ? new FileInfo(item.Path).Length : -1;
        return $"{folder}/{Path.GetFileName(item.Path)}:{size}";
    }
}
