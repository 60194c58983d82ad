namespace Dsh.Imaging.Contours;

/// <summary>Keeps a pixel's magnitude only where it is a local maximum along the gradient direction (4 directions).</summary>
internal static class NonMaximumSuppression
{
    private const float Tan22 = 0.41421356f; // tan 22.5°

    public static Plane Apply(Plane magnitude, Plane gx, Plane gy)
    {
        int width = magnitude.Width, height = magnitude.Height;
        float[] m = magnitude.Data, dx = gx.Data, dy = gy.Data;
        var result = new Plane(width, height);
        float[] output = result.Data;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = y * width + x;
                float value = m[i];
                if (value <= 0)
                {
                    continue;
                }
                float ax = Math.Abs(dx[i]), ay = Math.Abs(dy[i]);
                int ox, oy;
                if (ay <= ax * Tan22)
                {
                    (ox, oy) = (1, 0);
                }
                else if (ax <= ay * Tan22)
                {
                    (ox, oy) = (0, 1);
                }
                else
                {
                    (ox, oy) = dx[i] * dy[i] > 0 ? (1, 1) : (1, -1);
                }
                float ahead = At(m, width, height, x + ox, y + oy);
                float behind = At(m, width, height, x - ox, y - oy);
                // Strict on one side only, so a two-pixel plateau keeps exactly one pixel.
                if (value > behind && value >= ahead)
                {
                    output[i] = value;
                }
            }
        }
        return result;
    }

    private static float At(float[] m, int width, int height, int x, int y) =>
        x < 0 || y < 0 || x >= width || y >= height ? 0f : m[y * width + x];
}
