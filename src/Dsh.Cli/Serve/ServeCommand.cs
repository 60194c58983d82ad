using System.CommandLine;
using Dsh.Cli.Files;
using Dsh.Cli.Running;
using Dsh.Hashing;
using Dsh.Imaging;
using Dsh.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Dsh.Cli.Serve;

/// <summary>
/// <c>dsh serve --model FILE --index FILE [--urls URL] [--photos-root DIR] …</c>: sketch search over a gallery as a web
/// service with its page. The model and the gallery are loaded before listening, so a bad file is one line and an exit
/// code, not a half-started server; SIGTERM or Ctrl+C finishes the requests in flight (adds included) and exits 0.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var model = CliOptions.EncoderModel();
        var runtime = CliOptions.Runtime();
        var index = CliOptions.ExistingFile("--index", "The gallery built by 'dsh index build' (photos added from the page are written to it).", "INDEX");
        var urls = new Option<string>("--urls")
        {
            Description = $"Where to listen, ';' between several (default {ServeOptions.DefaultUrl}: this machine only; http://0.0.0.0:PORT for every interface).",
            DefaultValueFactory = _ => ServeOptions.DefaultUrl,
            HelpName = "URL",
        };
        var photosRoot = CliOptions.ExistingDirectory("--photos-root", "The folder the gallery's photo paths are relative to (default: the folder it was built from, else the gallery's folder).", required: false);
        var maxBody = CliOptions.Int("--max-body-mb", "The largest upload, in MiB.", 16, 1, 1024);
        var maxMegapixels = CliOptions.Int("--max-megapixels", "The most pixels an uploaded image may declare, in millions.", 40, 1, 1000);
        var maxConcurrent = CliOptions.Int("--max-concurrent", "Images encoded at once.", 2, 1, 256);
        var queue = CliOptions.Int("--queue", "Requests that may wait for an encoder; more are answered 503 with Retry-After.", 64, 0, 100_000);
        var timeout = CliOptions.Int("--timeout", "Seconds a request may take, waiting included.", 30, 1, 3600);
        var rerank = CliOptions.Rerank();
        var mirror = CliOptions.MirrorSketches();
        var command = new Command("serve", "Serve sketch search over a gallery: a web page to draw on and an HTTP API.")
        {
            model, runtime, index, urls, photosRoot, maxBody, maxMegapixels, maxConcurrent, queue, timeout, rerank, mirror,
        };
        command.SetAction(parse =>
        {
            var options = new ServeOptions
            {
                ModelPath = ModelFiles.FullPath(parse.GetValue(model)!),
                OnnxRuntime = parse.GetValue(runtime) == "onnx",
                GalleryPath = Path.GetFullPath(parse.GetValue(index)!),
                Urls = parse.GetValue(urls)!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                PhotosRoot = parse.GetValue(photosRoot) is { } root ? Path.GetFullPath(root) : null,
                MaxBodyBytes = parse.GetValue(maxBody) * 1024L * 1024,
                MaxPixels = parse.GetValue(maxMegapixels) * 1_000_000L,
                MaxConcurrentEncodes = parse.GetValue(maxConcurrent),
                MaxQueuedEncodes = parse.GetValue(queue),
                RequestTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                RerankDepth = parse.GetValue(rerank),
                MirrorSketches = parse.Given(mirror),
            }.Validated();
            SketchSearch search = Open(options, context);
            WarnIfReadOnly(search, context);
            try
            {
                return Run(options, search, context);
            }
            finally
            {
                search.Dispose(); // writes any change still queued
            }
        });
        return command;
    }

    /// <summary>Loads the gallery and the model, checks they belong together, and opens the service.</summary>
    internal static SketchSearch Open(ServeOptions options, CliContext context)
    {
        // A gallery is served read-write; any other index file dsh reads (multi-index hash, FAISS) is served read-only,
        // searches answering ids, since it holds no photos to show or to add to.
        ModelFiles.CheckRuntime(options.ModelPath, options.OnnxRuntime);
        Gallery gallery = GalleryFiles.LoadForReading(options.GalleryPath, context.Err, out string format);
        bool readOnly = format.StartsWith("index", StringComparison.Ordinal);
        IDshEncoder dsh = ModelFiles.LoadEncoder(options.ModelPath, options.OnnxRuntime);
        try
        {
            GalleryFiles.CheckModel(gallery, dsh.CodeLength, ModelFiles.Identity(dsh, options.ModelPath), options.GalleryPath, context.Err);
            return new SketchSearch(dsh, gallery, options.GalleryPath, new SketchSearchOptions
            {
                ModelPath = options.ModelPath,
                GalleryPath = options.GalleryPath,
                PhotosRoot = options.PhotosRoot,
                ImageDecoding = options.Decoding,
                ReadOnly = readOnly,
                RerankDepth = options.RerankDepth,
                MirrorSketches = options.MirrorSketches,
            });
        }
        catch
        {
            dsh.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A gallery or photo folder this process cannot write still serves searches, but adding and removing photos would fail:
    /// say so at once, on stderr, rather than at the first add.
    /// </summary>
    private static void WarnIfReadOnly(SketchSearch search, CliContext context)
    {
        if (search.IsReadOnly)
        {
            return; // nothing is ever written; LoadForReading said what is served
        }
        foreach (var (folder, what) in new[]
        {
            (Path.GetDirectoryName(search.GalleryPath)!, "the gallery's folder"),
            (search.PhotosRoot, "the photos root"),
        })
        {
            try
            {
                OutputPaths.CheckFolder(folder, what);
            }
            catch (Exception e) when (e is IOException or UsageException)
            {
                context.Err.WriteLine($"dsh: warning: {e.Message}; searches work, adding and removing photos will fail.");
            }
        }
    }

    private static int Run(ServeOptions options, SketchSearch search, CliContext context)
    {
        WebApplication app = ServeHost.Build(options, search, consoleLifetime: true);
        try
        {
            try
            {
                app.StartAsync(context.CancellationToken).GetAwaiter().GetResult();
            }
            catch (IOException e)
            {
                throw new IOException($"--urls {string.Join(';', options.Urls)}: cannot listen ({e.Message.TrimEnd('.')})", e);
            }
            foreach (Uri address in ServeHost.Addresses(app))
            {
                context.Out.WriteLine($"{ServeHost.ListeningPrefix}{address}");
            }
            context.Out.Flush();
            // The addresses are the command's result (a script reads the port from stdout); what it serves is a log line.
            context.Err.WriteLine($"dsh serve: {search.Gallery.Count} photos, {search.Gallery.CodeLength}-bit codes, photos from {search.PhotosRoot}; Ctrl+C stops");
            context.Err.Flush();
            app.WaitForShutdownAsync(context.CancellationToken).GetAwaiter().GetResult();
            return ExitCodes.Success;
        }
        finally
        {
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
