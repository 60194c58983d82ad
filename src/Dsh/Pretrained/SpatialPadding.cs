namespace Dsh.Pretrained;

/// <summary>How a padded layer finds its padding: fixed amounts, or ONNX's <c>auto_pad</c> rules.</summary>
internal enum PaddingMode
{
    /// <summary>The four amounts as given (ONNX <c>auto_pad = NOTSET</c>).</summary>
    Explicit,

    /// <summary>Output = ceil(input / stride); an odd total puts the extra pixel at the end.</summary>
    SameUpper,

    /// <summary>Output = ceil(input / stride); an odd total puts the extra pixel at the beginning.</summary>
    SameLower,

    /// <summary>No padding.</summary>
    Valid,
}

/// <summary>
/// The padding of a 2-d convolution or pooling layer, possibly asymmetric (ONNX <c>pads</c> =
/// [top, left, bottom, right]), or computed from the input size (<c>auto_pad</c>).
/// </summary>
internal readonly record struct SpatialPadding(PaddingMode Mode, long Top, long Left, long Bottom, long Right)
{
    /// <summary>The same amount on all four sides.</summary>
    public static SpatialPadding Symmetric(long pad) => new(PaddingMode.Explicit, pad, pad, pad, pad);

    /// <summary>Fixed amounts, begin = top/left, end = bottom/right.</summary>
    public static SpatialPadding Explicit(long top, long left, long bottom, long right) =>
        new(PaddingMode.Explicit, top, left, bottom, right);

    /// <summary>The amounts for an input of <paramref name="height"/>×<paramref name="width"/>.</summary>
    public (long Top, long Left, long Bottom, long Right) Resolve(long height, long width, ReadOnlySpan<long> kernel, ReadOnlySpan<long> stride, ReadOnlySpan<long> dilation)
    {
        switch (Mode)
        {
            case PaddingMode.Explicit:
                return (Top, Left, Bottom, Right);
            case PaddingMode.Valid:
                return (0, 0, 0, 0);
            default:
                (long top, long bottom) = Same(height, kernel[0], stride[0], dilation[0]);
                (long left, long right) = Same(width, kernel[1], stride[1], dilation[1]);
                return (top, left, bottom, right);
        }
    }

    /// <summary>True when begin and end amounts agree on both axes.</summary>
    public static bool IsSymmetric((long Top, long Left, long Bottom, long Right) p) => p.Top == p.Bottom && p.Left == p.Right;

    /// <summary>
    /// Padding the end like the beginning gives the same windows when the end is padded less and the output keeps its
    /// size: the last window then never reaches the extra pixels (CNTK's [3,3,2,2] at even sizes). Lets the layer use
    /// the library's symmetric padding and skip a copy of the input.
    /// </summary>
    public static (long Top, long Left, long Bottom, long Right) Symmetrized(
        (long Top, long Left, long Bottom, long Right) p, long height, long width, ReadOnlySpan<long> kernel, ReadOnlySpan<long> stride, ReadOnlySpan<long> dilation, bool ceil)
    {
        if (IsSymmetric(p) || p.Bottom > p.Top || p.Right > p.Left)
        {
            return p;
        }
        bool sameHeight = OutputLength(height, p.Top, p.Bottom, kernel[0], stride[0], dilation[0], ceil)
                          == OutputLength(height, p.Top, p.Top, kernel[0], stride[0], dilation[0], ceil);
        bool sameWidth = OutputLength(width, p.Left, p.Right, kernel[1], stride[1], dilation[1], ceil)
                         == OutputLength(width, p.Left, p.Left, kernel[1], stride[1], dilation[1], ceil);
        return sameHeight && sameWidth ? (p.Top, p.Left, p.Top, p.Left) : p;
    }

    /// <summary>The output length of one axis (floor or ceil division, as the layer says).</summary>
    public static long OutputLength(long input, long begin, long end, long kernel, long stride, long dilation, bool ceil)
    {
        long span = input + begin + end - ((kernel - 1) * dilation + 1);
        if (span < 0)
        {
            return 0;
        }
        long n = ceil ? (span + stride - 1) / stride : span / stride;
        return n + 1;
    }

    private (long Begin, long End) Same(long input, long kernel, long stride, long dilation)
    {
        long output = (input + stride - 1) / stride;
        long total = Math.Max(0, (output - 1) * stride + (kernel - 1) * dilation + 1 - input);
        long small = total / 2, large = total - small;
        return Mode == PaddingMode.SameUpper ? (small, large) : (large, small);
    }

    /// <inheritdoc/>
    public override string ToString() => Mode == PaddingMode.Explicit
        ? $"pads [{Top},{Left},{Bottom},{Right}]"
        : $"auto_pad {Mode}";
}
