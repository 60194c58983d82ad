namespace Dsh.Imaging.Contours;

/// <summary>
/// Hysteresis thresholding: a connected (8-neighbourhood) group of pixels at or above <c>low</c> becomes a stroke when
/// it holds a pixel at or above <c>high</c> and has at least <c>minPixels</c> pixels.
/// </summary>
internal static class Hysteresis
{
    /// <summary>A 0/1 mask of the stroke pixels.</summary>
    public static Plane Apply(Plane thin, float low, float high, int minPixels)
    {
        int width = thin.Width, height = thin.Height;
        float[] m = thin.Data;
        var result = new Plane(width, height);
        float[] mask = result.Data;
        var visited = new bool[m.Length];
        var component = new List<int>();
        var stack = new Stack<int>();
        for (int start = 0; start < m.Length; start++)
        {
            if (visited[start] || m[start] < low)
            {
                continue;
            }
            component.Clear();
            bool strong = false;
            visited[start] = true;
            stack.Push(start);
            while (stack.Count > 0)
            {
                int i = stack.Pop();
                component.Add(i);
                strong |= m[i] >= high;
                int x = i % width, y = i / width;
                for (int ny = Math.Max(0, y - 1); ny <= Math.Min(height - 1, y + 1); ny++)
                {
                    for (int nx = Math.Max(0, x - 1); nx <= Math.Min(width - 1, x + 1); nx++)
                    {
                        int j = ny * width + nx;
                        if (!visited[j] && m[j] >= low)
                        {
                            visited[j] = true;
                            stack.Push(j);
                        }
                    }
                }
            }
            if (strong && component.Count >= minPixels)
            {
                foreach (int i in component)
                {
                    mask[i] = 1f;
                }
            }
        }
        return result;
    }
}
