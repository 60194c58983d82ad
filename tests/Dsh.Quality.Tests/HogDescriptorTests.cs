using Dsh.Imaging.Contours;
using Dsh.Quality.Pacs;

namespace Dsh.Quality.Tests;

public class HogDescriptorTests
{
    private const int Size = 32;
    private static readonly HogDescriptor Hog = new(imageSize: Size, cellSize: 8, bins: 9);

    /// <summary>A Size² plane: dark (0) where <paramref name="dark"/> holds, bright (1) elsewhere.</summary>
    private static float[] Plane(Func<int, int, bool> dark)
    {
        var plane = new float[Size * Size];
        for (int y = 0; y < Size; y++)
        {
            for (int x = 0; x < Size; x++)
            {
                plane[y * Size + x] = dark(x, y) ? 0f : 1f;
            }
        }
        return plane;
    }

    /// <summary>Orientation histogram summed over every cell slot of every block.</summary>
    private static float[] BinTotals(float[] descriptor, int bins)
    {
        var totals = new float[bins];
        for (int i = 0; i < descriptor.Length; i++)
        {
            totals[i % bins] += descriptor[i];
        }
        return totals;
    }

    [Fact]
    public void Length_is_blocks_times_cells_per_block_times_bins()
    {
        Assert.Equal(3 * 3 * 4 * 9, Hog.Length);
        Assert.Equal(7 * 7 * 4 * 9, new HogDescriptor(128, 16, 9).Length); // the baselines' setting: 1,764
        Assert.Equal(Hog.Length, Hog.Compute(Plane((x, _) => x < 13)).Length);
    }

    [Fact]
    public void A_flat_image_has_an_all_zero_descriptor()
    {
        Assert.All(Hog.Compute(new float[Size * Size]), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void A_vertical_edge_votes_only_into_the_zero_degree_bin()
    {
        // Intensity changes along x only: the gradient is horizontal, orientation 0°, the centre of bin 0.
        float[] totals = BinTotals(Hog.Compute(Plane((x, _) => x < 13)), 9);
        Assert.True(totals[0] > 0);
        for (int b = 1; b < 9; b++)
        {
            Assert.Equal(0f, totals[b], 1e-6f);
        }
    }

    [Fact]
    public void A_horizontal_edge_splits_between_the_two_bins_around_ninety_degrees()
    {
        // Orientation 90° lies halfway between the centres of bins 4 (80°) and 5 (100°).
        float[] totals = BinTotals(Hog.Compute(Plane((_, y) => y < 13)), 9);
        Assert.True(totals[4] > 0);
        Assert.Equal(totals[4], totals[5], 1e-5f);
        Assert.All(totals.Where((_, b) => b != 4 && b != 5), v => Assert.Equal(0f, v, 1e-6f));
    }

    [Fact]
    public void A_diagonal_edge_votes_mostly_near_one_hundred_thirty_five_degrees()
    {
        // Dark below the main diagonal (y > x): the gradient points to decreasing y, increasing x → orientation 135°
        // (unsigned), between bins 6 (120°) and 7 (140°), nearer bin 7. The pixel staircase adds some 0° and 90° votes.
        float[] totals = BinTotals(Hog.Compute(Plane((x, y) => y > x)), 9);
        Assert.Equal(7, Array.IndexOf(totals, totals.Max()));
        Assert.True(totals[6] + totals[7] > 0.5f * totals.Sum());
        Assert.Equal(0f, totals[1] + totals[2] + totals[3], 1e-6f); // nothing near 45°
    }

    [Fact]
    public void Every_non_empty_block_has_unit_length_and_no_entry_above_the_clip_after_the_first_normalisation()
    {
        var random = new Random(3);
        float[] noise = Enumerable.Range(0, Size * Size).Select(_ => (float)random.NextDouble()).ToArray();
        float[] descriptor = Hog.Compute(noise);
        int blockLength = 4 * 9;
        for (int b = 0; b < descriptor.Length / blockLength; b++)
        {
            var block = descriptor.AsSpan(b * blockLength, blockLength).ToArray();
            double norm = Math.Sqrt(block.Sum(v => (double)v * v));
            Assert.InRange(norm, 0.999, 1.0001);
            Assert.All(block, v => Assert.InRange(v, 0f, 1f));
        }
    }

    [Fact]
    public void Block_normalisation_makes_the_descriptor_invariant_to_contrast()
    {
        var random = new Random(5);
        float[] image = Enumerable.Range(0, Size * Size).Select(_ => (float)random.NextDouble()).ToArray();
        float[] brighter = image.Select(v => 0.1f + 3f * v).ToArray();
        float[] a = Hog.Compute(image), b = Hog.Compute(brighter);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i], b[i], 1e-4f);
        }
    }

    [Fact]
    public void Moving_an_edge_to_another_cell_changes_the_descriptor()
    {
        float[] left = Hog.Compute(Plane((x, _) => x < 5)), right = Hog.Compute(Plane((x, _) => x < 27));
        Assert.True(left.Zip(right, (p, q) => Math.Abs(p - q)).Sum() > 1f);
    }

    [Theory]
    [InlineData(30, 8, 9)]  // not a multiple of the cell size
    [InlineData(8, 8, 9)]   // a single cell cannot hold a 2×2 block
    [InlineData(32, 8, 1)]  // one bin
    public void Rejects_settings_that_cannot_form_blocks(int imageSize, int cellSize, int bins)
    {
        Assert.ThrowsAny<ArgumentException>(() => new HogDescriptor(imageSize, cellSize, bins));
    }

    [Fact]
    public void Rejects_a_plane_of_the_wrong_size()
    {
        Assert.Throws<ArgumentException>(() => Hog.Compute(new float[Size * Size - 1]));
    }
}
