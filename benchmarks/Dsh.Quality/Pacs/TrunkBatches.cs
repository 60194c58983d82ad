using Dsh.Pretrained;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;
using static TorchSharp.torch;

namespace Dsh.Quality.Pacs;

/// <summary>The probes' in-memory pass over a list of images: loaded 32 at a time, fed to a trunk, the outputs kept.</summary>
internal static class TrunkBatches
{
    private const int BatchSize = 32;

    /// <summary>
    /// Loads <paramref name="items"/> 32 at a time, turns each batch into the trunk's input at <paramref name="size"/> px
    /// and runs <paramref name="forward"/> on it without gradients, in a dispose scope (the images are disposed after
    /// it); returns each of its outputs concatenated over all batches along dimension 0.
    /// </summary>
    public static Tensor[] Run<T>(IReadOnlyList<T> items, Func<T, Image<Rgb24>> load, Tensor meanImage, int size, Func<Tensor, Tensor[]> forward)
    {
        List<Tensor>[]? parts = null;
        for (int first = 0; first < items.Count; first += BatchSize)
        {
            var images = items.Skip(first).Take(BatchSize).Select(load).ToArray();
            try
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                Tensor[] outputs = forward(ResNetPreprocessing.ToTensor(images, meanImage, size));
                parts ??= outputs.Select(_ => new List<Tensor>()).ToArray();
                for (int o = 0; o < outputs.Length; o++)
                {
                    parts[o].Add(outputs[o].MoveToOuterDisposeScope());
                }
            }
            finally
            {
                foreach (var image in images)
                {
                    image.Dispose();
                }
            }
        }
        if (parts is null)
        {
            throw new ArgumentException("No images to run.", nameof(items));
        }
        Tensor[] joined = parts.Select(p => cat(p, 0)).ToArray();
        foreach (Tensor part in parts.SelectMany(p => p))
        {
            part.Dispose();
        }
        return joined;
    }
}
