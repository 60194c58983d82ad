using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Dsh.Imaging;
using Dsh.Pretrained;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;
using static TorchSharp.torch;

namespace Dsh.Quality.Pacs;

/// <summary>
/// 512-d features of the shipped ImageNet ResNet-18 (eval, no_grad) for a list of image files, cached in one binary
/// file: magic "DSHFEAT1", image size, row count, dimension, a SHA-256 of the file list (paths relative to a root,
/// file lengths, domain, image size, model file length), then float32 rows in list order. A cache whose header
/// does not match is recomputed.
/// </summary>
internal static class FrozenFeatureCache
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("DSHFEAT1");

    /// <summary>One image to featurise: its file and whether it is a sketch (prepared with PrepareSketch).</summary>
    public readonly record struct Entry(string Path, bool IsSketch);

    /// <summary>Features [entries.Count, 512] float32, and the extraction speed (null when read from the cache).</summary>
    public static (float[][] Features, double? ImagesPerSecond) LoadOrCompute(IReadOnlyList<Entry> entries, string root,
        string cachePath, int size, int batchSize)
    {
        string modelPath = ResNet18Onnx.DefaultPath;
        byte[] hash = ListHash(entries, root, size, new FileInfo(modelPath).Length);
        if (TryRead(cachePath, hash, size, entries.Count) is { } cached)
        {
            Console.WriteLine($"features: read {cached.Length} rows from {cachePath} (file list hash matches)");
            return (cached, null);
        }
        var (features, speed) = Compute(entries, size, batchSize, modelPath);
        Write(cachePath, hash, size, features);
        Console.WriteLine($"features: wrote {features.Length} rows to {cachePath}");
        return (features, speed);
    }

    private static (float[][] Features, double ImagesPerSecond) Compute(IReadOnlyList<Entry> entries, int size, int batchSize, string modelPath)
    {
        using ResNet18Trunk trunk = ResNet18Onnx.Import(modelPath);
        trunk.eval();
        using Tensor mean = ResNetPreprocessing.LoadMeanImage();
        var features = new float[entries.Count][];
        long start = Stopwatch.GetTimestamp();
        double decodeSeconds = 0, forwardSeconds = 0;
        for (int first = 0; first < entries.Count; first += batchSize)
        {
            int count = Math.Min(batchSize, entries.Count - first);
            long t0 = Stopwatch.GetTimestamp();
            var images = new Image<Rgb24>[count];
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
            {
                Entry entry = entries[first + i];
                Image<Rgb24> image = DshImaging.Load(entry.Path);
                if (entry.IsSketch)
                {
                    Image<Rgb24> prepared = DshImaging.PrepareSketch(image);
                    image.Dispose();
                    image = prepared;
                }
                images[i] = image;
            });
            long t1 = Stopwatch.GetTimestamp();
            using (var scope = NewDisposeScope())
            using (no_grad())
            {
                Tensor input = ResNetPreprocessing.ToTensor(images, mean, size);
                float[] flat = trunk.forward(input).contiguous().data<float>().ToArray();
                int dim = flat.Length / count;
                for (int i = 0; i < count; i++)
                {
                    features[first + i] = flat.AsSpan(i * dim, dim).ToArray();
                }
            }
            foreach (Image<Rgb24> image in images)
            {
                image.Dispose();
            }
            decodeSeconds += Stopwatch.GetElapsedTime(t0, t1).TotalSeconds;
            forwardSeconds += Stopwatch.GetElapsedTime(t1).TotalSeconds;
            int done = first + count;
            if (done % (batchSize * 20) == 0 || done == entries.Count)
            {
                double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
                Console.WriteLine($"  {done}/{entries.Count} images, {elapsed:F0} s, {done / elapsed:F1} images/s");
            }
        }
        double total = Stopwatch.GetElapsedTime(start).TotalSeconds;
        double speed = entries.Count / total;
        Console.WriteLine($"features: {entries.Count} images in {total:F1} s = {speed:F1} images/s " +
                          $"(decode+prepare {decodeSeconds:F1} s, preprocess+forward {forwardSeconds:F1} s = {entries.Count / forwardSeconds:F1} images/s)");
        return (features, speed);
    }

    private static byte[] ListHash(IReadOnlyList<Entry> entries, string root, int size, long modelLength)
    {
        var text = new StringBuilder();
        text.Append("resnet18-onnx ").Append(modelLength).Append(" size ").Append(size).Append('\n');
        foreach (Entry entry in entries)
        {
            text.Append(entry.IsSketch ? "sketch\t" : "photo\t")
                .Append(Path.GetRelativePath(root, entry.Path).Replace('\\', '/')).Append('\t')
                .Append(new FileInfo(entry.Path).Length).Append('\n');
        }
        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static float[][]? TryRead(string path, byte[] hash, int size, int rows)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        using var reader = new BinaryReader(File.OpenRead(path));
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic) || reader.ReadInt32() != size || reader.ReadInt32() != rows)
        {
            return null;
        }
        int dim = reader.ReadInt32();
        if (!reader.ReadBytes(hash.Length).AsSpan().SequenceEqual(hash) || reader.BaseStream.Length != reader.BaseStream.Position + 4L * rows * dim)
        {
            return null;
        }
        var features = new float[rows][];
        for (int r = 0; r < rows; r++)
        {
            features[r] = new float[dim];
            reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(features[r].AsSpan()));
        }
        return features;
    }

    private static void Write(string path, byte[] hash, int size, float[][] features)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temp = path + ".tmp";
        using (var writer = new BinaryWriter(File.Create(temp)))
        {
            writer.Write(Magic);
            writer.Write(size);
            writer.Write(features.Length);
            writer.Write(features[0].Length);
            writer.Write(hash);
            foreach (float[] row in features)
            {
                writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(row.AsSpan()));
            }
        }
        File.Move(temp, path, overwrite: true);
    }
}
