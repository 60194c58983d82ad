using Microsoft.Playwright;

namespace Dsh.WebDemo.Tests;

/// <summary>Draws on the demo's canvas with the mouse and reads its pixels back.</summary>
internal static class PageDrawing
{
    /// <summary>A simple house: a square body and a roof, as polylines in canvas fractions (0..1).</summary>
    public static readonly (double X, double Y)[][] House =
    {
        new[] { (0.25, 0.45), (0.25, 0.85), (0.75, 0.85), (0.75, 0.45), (0.25, 0.45) },
        new[] { (0.18, 0.50), (0.50, 0.15), (0.82, 0.50) },
        new[] { (0.44, 0.85), (0.44, 0.65), (0.56, 0.65), (0.56, 0.85) },
    };

    /// <summary>Each polyline as one mouse stroke: down at its first point, moves in steps, up at the end.</summary>
    public static async Task DrawAsync(IPage page, (double X, double Y)[][] strokes)
    {
        LocatorBoundingBoxResult box = (await page.Locator("#sketch").BoundingBoxAsync())!;
        foreach (var stroke in strokes)
        {
            await page.Mouse.MoveAsync((float)(box.X + stroke[0].X * box.Width), (float)(box.Y + stroke[0].Y * box.Height));
            await page.Mouse.DownAsync();
            foreach (var (x, y) in stroke.Skip(1))
            {
                await page.Mouse.MoveAsync((float)(box.X + x * box.Width), (float)(box.Y + y * box.Height), new MouseMoveOptions { Steps = 8 });
            }
            await page.Mouse.UpAsync();
        }
    }

    /// <summary>The number of dark pixels (red channel below 128) on the canvas.</summary>
    public static Task<int> InkPixelsAsync(IPage page) => page.EvaluateAsync<int>("""
        () => {
          const c = document.getElementById('sketch');
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i] < 128) n++;
          return n;
        }
        """);
}
