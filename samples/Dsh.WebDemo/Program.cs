using Dsh;
using Dsh.WebDemo;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(DemoOptions.Usage);
    return 0;
}

// Content root = the binary's folder: wwwroot is copied there, so the demo runs from any current directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
DemoOptions options;
try
{
    options = DemoOptions.From(builder.Configuration, Directory.GetCurrentDirectory());
}
catch (DemoOptionsException e)
{
    Console.Error.WriteLine($"dsh-webdemo: {e.Message}");
    return 2;
}

// A --model file is read before listening, so a bad file is one line and exit code 2, not a half-started server.
DshModel? modelFile = null;
if (options.ModelPath is not null)
{
    try
    {
        modelFile = DshModel.Load(options.ModelPath);
    }
    catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"dsh-webdemo: --model: '{options.ModelPath}' is not a readable Dsh model ({e.Message.ReplaceLineEndings(" ")}).");
        return 2;
    }
}

builder.WebHost.UseUrls(options.Urls.ToArray());
builder.Services.AddSingleton(options);
builder.Services.AddSingleton(new PreloadedModel(modelFile));
builder.Services.AddSingleton<DemoEngine>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<DemoEngine>());

var app = builder.Build();
// Bad input is answered 400 by the endpoints; anything unexpected is still one JSON line, never a stack trace.
app.UseExceptionHandler(error => error.Run(async context =>
{
    Exception? problem = context.Features.Get<IExceptionHandlerFeature>()?.Error;
    context.Response.StatusCode = StatusCodes.Status500InternalServerError;
    await context.Response.WriteAsJsonAsync(new ErrorResponse("Internal error: " + (problem?.Message ?? "unknown").ReplaceLineEndings(" ")));
}));
app.UseDefaultFiles();
app.UseStaticFiles();
DemoEndpoints.Map(app);

app.Lifetime.ApplicationStarted.Register(() =>
{
    // The real address (port 0 becomes a free port): the tests read this line.
    var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
    foreach (string address in addresses)
    {
        Console.WriteLine($"Dsh web demo listening on {address}/");
    }
});

await app.RunAsync();
return 0;
