namespace Dsh.Imaging.Contours;

/// <summary>A row-major float image of one channel, the working buffer of the contour kernels.</summary>
internal sealed class Plane
{
    public Plane(int width, int height)
        : this(width, height, new float[checked(width * height)])
    {
    }

    public Plane(int width, int height, float[] data)
    {
        if (width < 1 || height < 1 || data.Length != width * height)
        {
            throw new ArgumentException($"A {width}×{height} plane needs {width * height} values, not {data.Length}.");
        }
        Width = width;
        Height = height;
        Data = data;
    }

    public int Width { get; }

    public int Height { get; }

    public float[] Data { get; }

    public Span<float> Row(int y) => Data.AsSpan(y * Width, Width);

    /// <summary>Row <paramref name="y"/> clamped into the image (replicated borders).</summary>
    public ReadOnlySpan<float> ClampedRow(int y) => Row(Math.Clamp(y, 0, Height - 1));
}
