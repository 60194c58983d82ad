namespace Dsh.Quality.Pacs;

/// <summary>
/// A small HOG-like descriptor (after Dalal &amp; Triggs 2005) of a square grey image: centred-difference gradients
/// ([−1, 0, 1], clamped at the border), unsigned orientation (0–180°) voted by gradient magnitude into
/// <see cref="Bins"/> bins whose centres are at i · 180° / Bins (linear interpolation between the two nearest bins,
/// wrapping at 180°), summed over square cells of <see cref="CellSize"/> px, then blocks of 2 × 2 cells (stride one
/// cell), each normalised with L2-Hys (L2, clip at 0.2, L2 again). No Gaussian window and no spatial interpolation.
/// Output length: (cells − 1)² · 4 · Bins, e.g. 1,764 for 128 px, 16 px cells and 9 bins.
/// </summary>
internal sealed class HogDescriptor
{
    private const int BlockCells = 2;
    private const float Epsilon = 1e-3f;
    private const float HysteresisClip = 0.2f;

    /// <summary>A descriptor for <paramref name="imageSize"/>-px images with <paramref name="cellSize"/>-px cells.</summary>
    public HogDescriptor(int imageSize = 128, int cellSize = 16, int bins = 9)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cellSize, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        if (imageSize % cellSize != 0 || imageSize / cellSize < BlockCells)
        {
            throw new ArgumentException($"imageSize {imageSize} must be a multiple of cellSize {cellSize} and hold at least {BlockCells} cells.");
        }
        ImageSize = imageSize;
        CellSize = cellSize;
        Bins = bins;
    }

    public int ImageSize { get; }
    public int CellSize { get; }
    public int Bins { get; }
    public int Cells => ImageSize / CellSize;
    public int Length => (Cells - BlockCells + 1) * (Cells - BlockCells + 1) * BlockCells * BlockCells * Bins;

    /// <summary>The descriptor of a row-major grey plane of ImageSize² values (any scale).</summary>
    public float[] Compute(ReadOnlySpan<float> grey)
    {
        int n = ImageSize;
        if (grey.Length != n * n)
        {
            throw new ArgumentException($"Expected {n}×{n} = {n * n} values, got {grey.Length}.", nameof(grey));
        }
        float[] cells = CellHistograms(grey);
        var descriptor = new float[Length];
        int blocks = Cells - BlockCells + 1, blockLength = BlockCells * BlockCells * Bins, offset = 0;
        for (int by = 0; by < blocks; by++)
        {
            for (int bx = 0; bx < blocks; bx++)
            {
                Span<float> block = descriptor.AsSpan(offset, blockLength);
                int i = 0;
                for (int cy = by; cy < by + BlockCells; cy++)
                {
                    for (int cx = bx; cx < bx + BlockCells; cx++)
                    {
                        cells.AsSpan((cy * Cells + cx) * Bins, Bins).CopyTo(block.Slice(i, Bins));
                        i += Bins;
                    }
                }
                NormalizeL2Hys(block);
                offset += blockLength;
            }
        }
        return descriptor;
    }

    /// <summary>Per cell (row-major), the magnitude-weighted orientation histogram.</summary>
    private float[] CellHistograms(ReadOnlySpan<float> grey)
    {
        int n = ImageSize;
        var cells = new float[Cells * Cells * Bins];
        float binWidth = MathF.PI / Bins;
        for (int y = 0; y < n; y++)
        {
            int up = Math.Max(y - 1, 0), down = Math.Min(y + 1, n - 1);
            for (int x = 0; x < n; x++)
            {
                int left = Math.Max(x - 1, 0), right = Math.Min(x + 1, n - 1);
                float gx = grey[y * n + right] - grey[y * n + left];
                float gy = grey[down * n + x] - grey[up * n + x];
                float magnitude = MathF.Sqrt(gx * gx + gy * gy);
                if (magnitude == 0)
                {
                    continue;
                }
                float angle = MathF.Atan2(gy, gx);
                if (angle < 0)
                {
                    angle += MathF.PI;
                }
                if (angle >= MathF.PI)
                {
                    angle -= MathF.PI;
                }
                float position = angle / binWidth; // bin centres at integer positions
                int lower = (int)MathF.Floor(position);
                float upperWeight = position - lower;
                int cell = ((y / CellSize) * Cells + x / CellSize) * Bins;
                cells[cell + lower % Bins] += magnitude * (1 - upperWeight);
                cells[cell + (lower + 1) % Bins] += magnitude * upperWeight;
            }
        }
        return cells;
    }

    private static void NormalizeL2Hys(Span<float> block)
    {
        Scale(block);
        bool clipped = false;
        for (int i = 0; i < block.Length; i++)
        {
            if (block[i] > HysteresisClip)
            {
                block[i] = HysteresisClip;
                clipped = true;
            }
        }
        if (clipped)
        {
            Scale(block);
        }
    }

    private static void Scale(Span<float> block)
    {
        float sum = 0;
        foreach (float v in block)
        {
            sum += v * v;
        }
        float scale = 1 / MathF.Sqrt(sum + Epsilon * Epsilon);
        for (int i = 0; i < block.Length; i++)
        {
            block[i] *= scale;
        }
    }
}
