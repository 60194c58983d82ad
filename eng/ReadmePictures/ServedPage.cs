using System.Text;
using Dsh.Cli;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dsh.ReadmePictures;

/// <summary>Serves a gallery with <c>dsh serve</c> (in this process) and draws a house on its page in headless Chromium.</summary>
internal static class ServedPage
{
    private const string ListeningPrefix = "dsh serve: listening on ";

    public static async Task DrawHouseAsync(string model, string gallery, string screenshot, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stdout = new CollectingWriter();
        Task<int> serve = Task.Run(() => DshCli.Run(["serve", "--model", model, "--index", gallery, "--urls", "http://127.0.0.1:0"],
            stdout, Console.Error, stop.Token, interactive: false));
        try
        {
            Uri address = await AddressAsync(stdout, serve, cancellationToken);
            using IPlaywright playwright = await Playwright.CreateAsync();
            await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Environment.GetEnvironmentVariable("DSH_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium",
                Headless = true,
                Args = ["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"],
            });
            IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 640 }, DeviceScaleFactor = 1 });
            await page.GotoAsync(address.ToString());
            await Expect(page.Locator("#status")).ToContainTextAsync("photos", new() { Timeout = 60_000 });
            await DrawAsync(page);
            await Expect(page.Locator("#results .tile")).ToHaveCountAsync(12, new() { Timeout = 60_000 });
            await page.WaitForFunctionAsync(
                "() => { const i = [...document.querySelectorAll('#results .tile img')]; return i.length > 0 && i.every(x => x.complete && x.naturalWidth > 0); }",
                null, new PageWaitForFunctionOptions { Timeout = 60_000 });
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot });
        }
        finally
        {
            await stop.CancelAsync();
            await serve;
        }
    }

    private static async Task<Uri> AddressAsync(CollectingWriter stdout, Task<int> serve, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            string? line = stdout.Text.Split('\n').FirstOrDefault(l => l.StartsWith(ListeningPrefix, StringComparison.Ordinal));
            if (line is not null)
            {
                return new Uri(line[ListeningPrefix.Length..].Trim());
            }
            if (serve.IsCompleted)
            {
                throw new InvalidOperationException($"dsh serve stopped with exit code {await serve}");
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException("dsh serve did not report its address within 2 minutes");
    }

    /// <summary>A house with a chimney, two windows and a door, each part one stroke, as a person would draw it.</summary>
    private static async Task DrawAsync(IPage page)
    {
        LocatorBoundingBoxResult box = (await page.Locator("#sketch").BoundingBoxAsync())!;
        (double, double)[][] strokes =
        [
            [(0.22, 0.88), (0.22, 0.45), (0.78, 0.45), (0.78, 0.88), (0.22, 0.88)],   // walls
            [(0.15, 0.50), (0.50, 0.14), (0.85, 0.50)],                               // roof
            [(0.65, 0.36), (0.65, 0.20), (0.72, 0.20), (0.72, 0.43)],                 // chimney
            [(0.30, 0.55), (0.40, 0.55), (0.40, 0.63), (0.30, 0.63), (0.30, 0.55)],   // left window
            [(0.60, 0.55), (0.70, 0.55), (0.70, 0.63), (0.60, 0.63), (0.60, 0.55)],   // right window
            [(0.44, 0.88), (0.44, 0.66), (0.56, 0.66), (0.56, 0.88)],                 // door
        ];
        foreach ((double, double)[] stroke in strokes)
        {
            await page.Mouse.MoveAsync(X(stroke[0].Item1), Y(stroke[0].Item2));
            await page.Mouse.DownAsync();
            foreach (var (x, y) in stroke.Skip(1))
            {
                await page.Mouse.MoveAsync(X(x), Y(y), new MouseMoveOptions { Steps = 8 });
            }
            await page.Mouse.UpAsync();
        }

        float X(double f) => (float)(box.X + f * box.Width);
        float Y(double f) => (float)(box.Y + f * box.Height);
    }

    /// <summary>Keeps what <c>dsh serve</c> writes to stdout (its address), safe to read while it writes.</summary>
    private sealed class CollectingWriter : TextWriter
    {
        private readonly StringBuilder _text = new();

        public override Encoding Encoding => Encoding.UTF8;

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public override void Write(char value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }
    }
}
