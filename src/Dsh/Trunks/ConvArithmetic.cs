namespace Dsh.Trunks;

/// <summary>Output sides of convolutions and pools, for validating trunk specs before anything is built.</summary>
internal static class ConvArithmetic
{
    /// <summary>The output side of a convolution or pool (0 when the input is smaller than the kernel).</summary>
    public static int Output(int size, int kernel, int stride, int padding) =>
        size + 2 * padding < kernel ? 0 : (size + 2 * padding - kernel) / stride + 1;

    /// <summary>The output side of a 3×3, stride-2 max-pool.</summary>
    public static int Pool3x2(int size, int padding) => size <= 0 ? 0 : Output(size, 3, 2, padding);
}
