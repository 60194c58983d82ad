using static TorchSharp.torch;

namespace Dsh.Model;

/// <summary>Validates image batches before they reach a convolution (whose own errors are native and cryptic).</summary>
internal static class ImageBatchChecks
{
    /// <summary>Throws unless <paramref name="images"/> is a finite [N,3,size,size] batch (N ≥ 1) of <paramref name="dtype"/>.</summary>
    public static void Check(Tensor images, int size, ScalarType dtype, string name)
    {
        ArgumentNullException.ThrowIfNull(images, name);
        long[] shape = images.shape;
        string expected = $"[N, 3, {size}, {size}]";
        if (shape.Length != 4)
        {
            throw new ArgumentException($"{name} must be a 4-d batch {expected}, not a tensor of shape [{string.Join(", ", shape)}].", name);
        }
        if (shape[0] == 0)
        {
            throw new ArgumentException($"{name} is a batch of zero images; pass at least one.", name);
        }
        if (shape[1] != 3)
        {
            throw new ArgumentException(
                $"{name} must have 3 channels ({expected}), not {shape[1]}; replicate a grey channel with expand(-1, 3, -1, -1).", name);
        }
        if (shape[2] != size || shape[3] != size)
        {
            throw new ArgumentException($"{name} must be {size}×{size} pixels ({expected}), not {shape[2]}×{shape[3]}; resize first.", name);
        }
        if (images.dtype != dtype)
        {
            throw new ArgumentException($"{name} must be {dtype} like the network's parameters, not {images.dtype}.", name);
        }
        using var scope = NewDisposeScope();
        if (!isfinite(images).all().item<bool>())
        {
            throw new ArgumentException($"{name} contains NaN or infinite values.", name);
        }
    }

    /// <summary>Throws unless two batches have the same number of items.</summary>
    public static void CheckSameCount(Tensor first, string firstName, Tensor second, string secondName)
    {
        if (first.shape[0] != second.shape[0])
        {
            throw new ArgumentException(
                $"{firstName} has {first.shape[0]} items but {secondName} has {second.shape[0]}; each photo needs its own sketch-token map.", secondName);
        }
    }
}
