using System.Globalization;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Dsh.WebDemo.Tests;

/// <summary>The page in headless Chromium: load, draw with the mouse, search, clear.</summary>
[Collection(DemoCollection.Name)]
[Trait("Category", "Slow")]
public sealed class BrowserTests(DemoFixture demo, ITestOutputHelper output)
{
    private static readonly LocatorAssertionsToHaveCountOptions Wait = new() { Timeout = 30_000 };

    [Fact]
    public async Task Page_loads_with_a_blank_canvas_and_reports_ready()
    {
        var (context, page) = await demo.NewPageAsync();
        await using var _ = context;
        await page.GotoAsync(demo.BaseAddress.ToString());

        await Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("Dsh web demo"));
        await Expect(page.Locator("#status")).ToContainTextAsync("ready: 70 photos", new() { Timeout = 30_000 });
        await Expect(page.Locator("#search")).ToBeEnabledAsync();
        Assert.Equal(0, await PageDrawing.InkPixelsAsync(page));
        output.WriteLine($"browser {demo.Browser.Version}; demo start-up {demo.StartUp.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task Mouse_strokes_put_ink_on_the_canvas()
    {
        var (context, page) = await demo.NewPageAsync();
        await using var _ = context;
        await page.GotoAsync(demo.BaseAddress.ToString());

        await PageDrawing.DrawAsync(page, PageDrawing.House);

        int ink = await PageDrawing.InkPixelsAsync(page);
        output.WriteLine($"ink pixels after drawing: {ink}");
        // Stroke length ≈ 5.7 canvas widths at 6 px: several thousand pixels, far from the whole 384² canvas.
        Assert.InRange(ink, 3_000, 384 * 384 / 4);
    }

    [Fact]
    public async Task Touch_taps_put_ink_on_the_canvas()
    {
        await using IBrowserContext context = await demo.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 800, Height = 800 },
            HasTouch = true,
            IsMobile = true,
        });
        IPage page = await context.NewPageAsync();
        await page.GotoAsync(demo.BaseAddress.ToString());
        LocatorBoundingBoxResult box = (await page.Locator("#sketch").BoundingBoxAsync())!;
        Assert.Equal(0, await PageDrawing.InkPixelsAsync(page));

        for (int i = 1; i <= 3; i++)
        {
            await page.Touchscreen.TapAsync(box.X + box.Width * i / 4, box.Y + box.Height / 2);
        }

        int ink = await PageDrawing.InkPixelsAsync(page);
        output.WriteLine($"ink pixels after 3 taps: {ink}");
        Assert.InRange(ink, 3, 3_000);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(12)]
    public async Task Search_shows_k_loaded_tiles_with_pacs_categories_and_ascending_distances(int k)
    {
        var (context, page) = await demo.NewPageAsync();
        await using var _ = context;
        await page.GotoAsync(demo.BaseAddress.ToString());
        await Expect(page.Locator("#search")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await page.Locator("#k").SelectOptionAsync(k.ToString(CultureInfo.InvariantCulture));

        await PageDrawing.DrawAsync(page, PageDrawing.House);
        await page.Locator("#search").ClickAsync();

        ILocator tiles = page.Locator("#results .tile");
        await Expect(tiles).ToHaveCountAsync(k, Wait);
        // Every image really loaded from /photos/{id}.
        await page.WaitForFunctionAsync(
            "() => [...document.querySelectorAll('#results .tile img')].every(i => i.complete && i.naturalWidth > 0)",
            null, new PageWaitForFunctionOptions { Timeout = 30_000 });

        var categories = new List<string>();
        var distances = new List<int>();
        for (int i = 0; i < k; i++)
        {
            ILocator tile = tiles.Nth(i);
            categories.Add((await tile.GetAttributeAsync("data-category"))!);
            distances.Add(int.Parse((await tile.GetAttributeAsync("data-distance"))!, CultureInfo.InvariantCulture));
            Assert.Equal(categories[i], await tile.Locator(".category").InnerTextAsync());
            Assert.Equal($"d = {distances[i]}", await tile.Locator(".distance").InnerTextAsync());
            Assert.StartsWith("/photos/", await tile.Locator("img").GetAttributeAsync("src"));
        }
        output.WriteLine("tiles: " + string.Join(", ", categories.Zip(distances, (c, d) => $"{c} {d}")));
        Assert.All(categories, c => Assert.Contains(c, TestPaths.PacsCategories));
        Assert.Equal(distances.Order(), distances);
        Assert.All(distances, d => Assert.InRange(d, 0, 32));
        await Expect(page.Locator("#message")).ToContainTextAsync($"{k} photos");
        string shot = Path.Combine(AppContext.BaseDirectory, $"webdemo-search-k{k}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot });
        output.WriteLine($"screenshot: {shot}");
    }

    [Fact]
    public async Task Clear_empties_the_canvas_and_the_results()
    {
        var (context, page) = await demo.NewPageAsync();
        await using var _ = context;
        await page.GotoAsync(demo.BaseAddress.ToString());
        await Expect(page.Locator("#search")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await PageDrawing.DrawAsync(page, PageDrawing.House);
        await page.Locator("#search").ClickAsync();
        await Expect(page.Locator("#results .tile")).ToHaveCountAsync(12, Wait);
        Assert.True(await PageDrawing.InkPixelsAsync(page) > 0);

        await page.Locator("#clear").ClickAsync();

        Assert.Equal(0, await PageDrawing.InkPixelsAsync(page));
        await Expect(page.Locator("#results .tile")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Searching_a_blank_canvas_shows_the_servers_one_line_message()
    {
        var (context, page) = await demo.NewPageAsync();
        await using var _ = context;
        await page.GotoAsync(demo.BaseAddress.ToString());
        await Expect(page.Locator("#search")).ToBeEnabledAsync(new() { Timeout = 30_000 });

        await page.Locator("#search").ClickAsync();

        await Expect(page.Locator("#message")).ToContainTextAsync("The drawing is empty", new() { Timeout = 30_000 });
        await Expect(page.Locator("#results .tile")).ToHaveCountAsync(0);
    }
}
