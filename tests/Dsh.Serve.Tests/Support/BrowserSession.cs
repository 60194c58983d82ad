using Microsoft.Playwright;

namespace Dsh.Serve.Tests.Support;

/// <summary>Debian's Chromium, headless, driven by Microsoft.Playwright (never Playwright's own browser download).</summary>
internal sealed class BrowserSession : IAsyncDisposable
{
    private IPlaywright _playwright = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Debian's Chromium (apt-get install chromium); DSH_CHROMIUM overrides.</summary>
    public static string Chromium => Environment.GetEnvironmentVariable("DSH_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static async Task<BrowserSession> StartAsync()
    {
        var session = new BrowserSession { _playwright = await Playwright.CreateAsync() };
        session.Browser = await session._playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // The full browser looks up Google hosts at start; nothing outside the loopback is wanted.
            Args = ["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"],
        });
        return session;
    }

    /// <summary>A new page in a new context (device scale 1).</summary>
    public async Task<(IBrowserContext Context, IPage Page)> NewPageAsync(bool touch = false)
    {
        IBrowserContext context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1100, Height = 850 },
            DeviceScaleFactor = 1,
            HasTouch = touch,
            IsMobile = touch,
        });
        return (context, await context.NewPageAsync());
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}
