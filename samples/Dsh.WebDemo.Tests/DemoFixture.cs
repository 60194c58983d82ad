using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Dsh.WebDemo.Tests;

/// <summary>
/// One web demo process for the whole collection: started on 127.0.0.1 with a free port, with its built-in
/// compact model (trained on the bundled pacs-mini/train at first start, then reused from the temp-folder cache),
/// plus one headless Debian Chromium.
/// </summary>
public sealed class DemoFixture : IAsyncLifetime
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(20);
    private DemoProcess? _demo;
    private IPlaywright? _playwright;

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>How long start-up took until the first ready status (training or cache load included).</summary>
    public TimeSpan StartUp { get; private set; }

    public string Output => _demo?.Output ?? "";

    public async Task InitializeAsync()
    {
        var watch = Stopwatch.StartNew();
        _demo = DemoProcess.Start("--urls", "http://127.0.0.1:0");
        BaseAddress = await _demo.ListeningAsync(TimeSpan.FromMinutes(2));
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(1) };
        await WaitUntilReadyAsync(watch);
        StartUp = watch.Elapsed;

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = TestPaths.Chromium,
            Headless = true,
            // The full browser looks up Google hosts at start; nothing outside the loopback is wanted.
            Args = new[] { "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1" },
        });
    }

    private async Task WaitUntilReadyAsync(Stopwatch watch)
    {
        while (true)
        {
            JsonElement status = await Http.GetFromJsonAsync<JsonElement>("/api/status");
            string state = status.GetProperty("state").GetString()!;
            if (state == "ready")
            {
                return;
            }
            if (state == "failed" || _demo!.HasExited)
            {
                throw new InvalidOperationException($"The web demo failed to start: {status}\n{_demo!.Output}");
            }
            if (watch.Elapsed > ReadyTimeout)
            {
                throw new TimeoutException($"The web demo was not ready after {ReadyTimeout}: {status}\n{_demo.Output}");
            }
            await Task.Delay(500);
        }
    }

    /// <summary>A new page in a new context (480 px wide is enough for the canvas; device scale 1).</summary>
    public async Task<(IBrowserContext Context, IPage Page)> NewPageAsync()
    {
        IBrowserContext context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1000, Height = 800 },
            DeviceScaleFactor = 1,
        });
        IPage page = await context.NewPageAsync();
        return (context, page);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        Http?.Dispose();
        if (_demo is not null)
        {
            await _demo.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DemoCollection : ICollectionFixture<DemoFixture>
{
    public const string Name = "web demo";
}
