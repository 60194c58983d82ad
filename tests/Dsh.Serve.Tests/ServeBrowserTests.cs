using System.Globalization;
using Dsh.Serve.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Dsh.Serve.Tests;

/// <summary>
/// The page of a real <c>dsh serve</c> process in headless Chromium: results appear while drawing, a picked or dropped
/// file is searched as <c>dsh search</c> ranks it, and a photo added from the page is found.
/// </summary>
[Collection(ServeCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ServeBrowserTests(ServeData data, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly LocatorAssertionsToHaveCountOptions Wait = new() { Timeout = 30_000 };

    /// <summary>The same patience for text as for counts: a cold browser on a busy machine can take longer than the default 5 s.</summary>
    private static readonly LocatorAssertionsToContainTextOptions WaitText = new() { Timeout = 30_000 };
    private ServedGallery _served = null!;
    private BrowserSession _browser = null!;

    private string GalleryPath => _served.Gallery;

    private ServeProcess Server => _served.Serve;

    public async Task InitializeAsync()
    {
        _served = await ServedGallery.StartAsync(data);
        _browser = await BrowserSession.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _served.DisposeAsync();
    }

    private async Task<IPage> OpenAsync(IBrowserContext context)
    {
        IPage page = await context.NewPageAsync();
        await page.GotoAsync(Server.BaseAddress.ToString());
        await Expect(page.Locator("#status")).ToContainTextAsync("70 photos, 16-bit codes, 7 categories", WaitText);
        return page;
    }

    private static async Task<List<(long Id, int Distance, string Category)>> TilesAsync(IPage page)
    {
        ILocator tiles = page.Locator("#results .tile");
        var result = new List<(long, int, string)>();
        for (int i = 0; i < await tiles.CountAsync(); i++)
        {
            ILocator tile = tiles.Nth(i);
            result.Add((long.Parse((await tile.GetAttributeAsync("data-id"))!, CultureInfo.InvariantCulture),
                int.Parse((await tile.GetAttributeAsync("data-distance"))!, CultureInfo.InvariantCulture),
                (await tile.GetAttributeAsync("data-category"))!));
        }
        return result;
    }

    private static Task AllImagesLoadedAsync(IPage page) => page.WaitForFunctionAsync(
        "() => { const i = [...document.querySelectorAll('#results .tile img')]; return i.length > 0 && i.every(x => x.complete && x.naturalWidth > 0); }",
        null, new PageWaitForFunctionOptions { Timeout = 30_000 });

    [Fact]
    public async Task Results_appear_while_drawing_before_the_pen_is_lifted()
    {
        var (context, _) = await _browser.NewPageAsync();
        await using var _ = context;
        IPage page = await OpenAsync(context);
        LocatorBoundingBoxResult box = (await page.Locator("#sketch").BoundingBoxAsync())!;
        float X(double f) => (float)(box.X + f * box.Width);
        float Y(double f) => (float)(box.Y + f * box.Height);

        // A house, drawn as one long stroke with the button held down all along.
        await page.Mouse.MoveAsync(X(0.25), Y(0.85));
        await page.Mouse.DownAsync();
        foreach (var (x, y) in new[] { (0.25, 0.45), (0.5, 0.15), (0.75, 0.45), (0.75, 0.85), (0.25, 0.85) })
        {
            await page.Mouse.MoveAsync(X(x), Y(y), new MouseMoveOptions { Steps = 10 });
        }
        // The pen rests (still down): the debounced search runs and the grid fills before the button is released.
        await Expect(page.Locator("#results .tile")).ToHaveCountAsync(12, Wait);
        List<(long Id, int Distance, string Category)> whileDrawing = await TilesAsync(page);
        await page.Mouse.MoveAsync(X(0.4), Y(0.6), new MouseMoveOptions { Steps = 5 });
        await page.Mouse.UpAsync();

        Assert.All(whileDrawing, t => Assert.InRange(t.Distance, 0, 64)); // the order is the two-stage search's, not by distance alone
        Assert.All(whileDrawing, t => Assert.Contains(t.Category, TestPaths.PacsCategories));
        await AllImagesLoadedAsync(page);
        await Expect(page.Locator("#message")).ToContainTextAsync("12 photos", WaitText);
        string shot = Path.Combine(AppContext.BaseDirectory, "serve-drawing.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot });
        output.WriteLine($"screenshot: {shot}");

        await page.Locator("#clear").ClickAsync();
        await Expect(page.Locator("#results .tile")).ToHaveCountAsync(0, Wait);
    }

    [Fact]
    public async Task A_picked_file_and_a_dropped_file_are_ranked_as_dsh_search_ranks_them()
    {
        var (context, _) = await _browser.NewPageAsync();
        await using var _ = context;
        IPage page = await OpenAsync(context);

        string picked = TestPaths.Sketches[12];
        await page.Locator("#query-file").SetInputFilesAsync(picked);
        await Expect(page.Locator("#results .tile")).ToHaveCountAsync(12, Wait);
        Assert.Equal(data.CliSearch(GalleryPath, picked, 12), (await TilesAsync(page)).Select(t => (t.Id, t.Distance)).ToList());

        string dropped = TestPaths.Sketches[40];
        await page.Locator("#k").SelectOptionAsync("24");
        string base64 = Convert.ToBase64String(File.ReadAllBytes(dropped));
        await page.EvaluateAsync("""
            async b64 => {
              const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
              const transfer = new DataTransfer();
              transfer.items.add(new File([bytes], 'dropped.png', { type: 'image/png' }));
              document.getElementById('drop').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
            }
            """, base64);
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#results .tile').length === 24", null, new() { Timeout = 30_000 });
        Assert.Equal(data.CliSearch(GalleryPath, dropped, 24), (await TilesAsync(page)).Select(t => (t.Id, t.Distance)).ToList());
        await AllImagesLoadedAsync(page);
    }

    [Fact]
    public async Task A_photo_added_from_the_page_is_found()
    {
        var (context, _) = await _browser.NewPageAsync();
        await using var _ = context;
        IPage page = await OpenAsync(context);
        await page.Locator("#k").SelectOptionAsync("96");
        await page.Locator("#query-file").SetInputFilesAsync(TestPaths.Sketches[5]);
        await Expect(page.Locator("#results .tile")).ToHaveCountAsync(70, Wait);

        await page.Locator("#add summary").ClickAsync();
        await page.Locator("#add-file").SetInputFilesAsync(TestPaths.NewPhotos[7]);
        await page.Locator("#add-category").FillAsync("added-from-the-page");
        await page.Locator("#add-button").ClickAsync();

        await Expect(page.Locator("#add-message")).ToContainTextAsync("added 1 of 1", new() { Timeout = 30_000 });
        await Expect(page.Locator("#status")).ToContainTextAsync("71 photos", WaitText);
        string id = (await page.Locator("#add-message").GetAttributeAsync("data-last-id"))!;
        // The page searches again after an add: the new photo is among the results, with its picture.
        ILocator tile = page.Locator($"#results .tile[data-id='{id}']");
        await Expect(tile).ToHaveCountAsync(1, Wait);
        Assert.Equal("added-from-the-page", await tile.GetAttributeAsync("data-category"));
        await tile.ScrollIntoViewIfNeededAsync(); // tiles load their pictures lazily, as they come into view
        await page.WaitForFunctionAsync($"() => {{ const i = document.querySelector(\"#results .tile[data-id='{id}'] img\"); return i && i.complete && i.naturalWidth > 0; }}",
            null, new PageWaitForFunctionOptions { Timeout = 30_000 });
    }

    [Fact]
    public async Task Touch_taps_draw_and_search()
    {
        var (context, _) = await _browser.NewPageAsync(touch: true);
        await using var _ = context;
        IPage page = await OpenAsync(context);
        LocatorBoundingBoxResult box = (await page.Locator("#sketch").BoundingBoxAsync())!;
        for (int i = 1; i <= 3; i++)
        {
            await page.Touchscreen.TapAsync(box.X + box.Width * i / 4, box.Y + box.Height / 2);
        }
        await Expect(page.Locator("#results .tile")).ToHaveCountAsync(12, Wait);
    }
}
