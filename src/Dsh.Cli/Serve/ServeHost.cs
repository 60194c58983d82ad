using Dsh.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dsh.Cli.Serve;

/// <summary>
/// Builds the <c>dsh serve</c> web application around an opened <see cref="SketchSearch"/>: Kestrel with the body limit,
/// host filtering, the same-origin check, request timeouts, a bounded encoder queue (<see cref="EncoderGate"/>: 503 with
/// <c>Retry-After</c> when full), problem details for every error, the embedded page and the HTTP API (<see cref="ServeEndpoints"/>).
/// </summary>
internal static class ServeHost
{
    /// <summary>The line printed on stdout for each address once listening (tests and scripts read it).</summary>
    public const string ListeningPrefix = "dsh serve: listening on ";

    /// <summary>The application, not started.</summary>
    /// <param name="options">Validated options.</param>
    /// <param name="search">The opened service; the caller disposes it after the application stops.</param>
    /// <param name="consoleLifetime">Stop on SIGTERM / Ctrl+C (the tool); false for a host embedded in tests.</param>
    public static WebApplication Build(ServeOptions options, SketchSearch search, bool consoleLifetime)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = "dsh-serve",
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
        });
        builder.WebHost.UseUrls(options.Urls.ToArray());
        // Logs are one line each on stderr; stdout is kept for the listening addresses.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // A failed start (a port in use) is reported by dsh itself, as one line; the host would add a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        if (!consoleLifetime)
        {
            builder.Services.AddSingleton<IHostLifetime, NoSignalsLifetime>();
        }
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.Configure<HostFilteringOptions>(filter => filter.AllowedHosts = AllowedHosts.For(options.Urls));
        builder.Services.AddProblemDetails();
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<ServeMetrics>();
        builder.Services.AddSingleton(options);
        builder.Services.AddDshSketchSearch(search);
        builder.Services.AddRequestTimeouts(timeouts => timeouts.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = options.RequestTimeout,
            TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
        });
        builder.Services.AddSingleton<EncoderGate>();

        WebApplication app = builder.Build();
        app.UseHostFiltering();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(async (context, next) =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            context.Response.Headers.ContentSecurityPolicy =
                "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";
            await next(context);
        });
        app.UseMiddleware<SameOriginMiddleware>();
        app.UseRequestTimeouts();
        var page = new EmbeddedFileProvider(typeof(ServeHost).Assembly, "Dsh.Cli.Serve.wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = page });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = page });
        ServeEndpoints.Map(app);
        return app;
    }

    /// <summary>The addresses the started application listens on (port 0 replaced by the real port).</summary>
    public static IReadOnlyList<Uri> Addresses(WebApplication app) =>
        (app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []).Select(a => new Uri(a)).ToList();

    /// <summary>A host lifetime that reacts to no signal: for a server embedded in another process (tests).</summary>
    private sealed class NoSignalsLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
