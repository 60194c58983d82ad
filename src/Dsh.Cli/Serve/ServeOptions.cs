using Dsh.Imaging;

namespace Dsh.Cli.Serve;

/// <summary>What <c>dsh serve</c> serves and the limits it keeps; validated once, before anything is loaded.</summary>
internal sealed record ServeOptions
{
    /// <summary>Where <c>dsh serve</c> listens unless told otherwise: the loopback interface only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5000";

    /// <summary>The model file.</summary>
    public required string ModelPath { get; init; }

    /// <summary>The gallery file.</summary>
    public required string GalleryPath { get; init; }

    /// <summary>Encode with ONNX Runtime from the folder <c>dsh export</c> wrote (<see cref="ModelPath"/>) instead of TorchSharp.</summary>
    public bool OnnxRuntime { get; init; }

    /// <summary>The URLs Kestrel listens on.</summary>
    public IReadOnlyList<string> Urls { get; init; } = [DefaultUrl];

    /// <summary>
    /// The folder the gallery's keys are relative to (photos are served from it; photos added over HTTP are written to its
    /// <c>uploads/</c> folder). Null: the folder recorded in the gallery, else the gallery file's folder.
    /// </summary>
    public string? PhotosRoot { get; init; }

    /// <summary>The largest request body, in bytes (default 16 MiB); larger ones get 413.</summary>
    public long MaxBodyBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>The most pixels an uploaded image may declare (default <see cref="ImageDecodingOptions.DefaultMaxPixels"/>); more gets 413.</summary>
    public long MaxPixels { get; init; } = ImageDecodingOptions.DefaultMaxPixels;

    /// <summary>Images encoded at once (default 2); each takes up to about 15 bytes a pixel while it is decoded.</summary>
    public int MaxConcurrentEncodes { get; init; } = 2;

    /// <summary>Requests waiting for an encoder (default 64); more get 503 with <c>Retry-After</c>.</summary>
    public int MaxQueuedEncodes { get; init; } = 64;

    /// <summary>How long a request may take, queueing included (default 30 s); then it is answered 503.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Hamming candidates each search re-orders by the sketch's real-valued output (<c>--rerank</c>; 0: none).</summary>
    public int RerankDepth { get; init; } = Dsh.Serving.SketchSearchOptions.DefaultRerankDepth;

    /// <summary>Whether each sketch is also encoded mirrored and the outputs averaged (<c>--mirror-sketches</c>); null: as the model says.</summary>
    public bool? MirrorSketches { get; init; }

    /// <summary>The largest k of a search (default 1000).</summary>
    public int MaxK { get; init; } = 1000;

    /// <summary>The image limits every upload is decoded within.</summary>
    public ImageDecodingOptions Decoding => new()
    {
        MaxPixels = MaxPixels,
        MaxEncodedBytes = MaxBodyBytes,
        MaxParallelDecodes = MaxConcurrentEncodes,
    };

    /// <summary>Checks every value; returns this instance.</summary>
    /// <exception cref="UsageException">A value is out of range; the message names the option.</exception>
    public ServeOptions Validated()
    {
        if (Urls.Count == 0)
        {
            throw new UsageException("--urls: give at least one URL");
        }
        foreach (string url in Urls)
        {
            Uri? uri = null;
            try
            {
                uri = AllowedHosts.Parse(url).Uri;
            }
            catch (UriFormatException)
            {
            }
            if (uri is null || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/" || uri.Query.Length > 0)
            {
                throw new UsageException($"--urls: '{url}' is not an http:// or https:// URL of a host and port (e.g. {DefaultUrl})");
            }
        }
        Check(MaxBodyBytes >= 1024, "--max-body-mb", "must be at least 1 KiB");
        Check(MaxPixels >= 1, "--max-megapixels", "must be positive");
        Check(MaxConcurrentEncodes >= 1, "--max-concurrent", "must be at least 1");
        Check(MaxQueuedEncodes >= 0, "--queue", "must be 0 or more");
        Check(RequestTimeout > TimeSpan.Zero, "--timeout", "must be positive");
        Check(RerankDepth >= 0, "--rerank", "must be 0 or more");
        Check(MaxK >= 1, "--max-k", "must be at least 1");
        return this;
    }

    private static void Check(bool ok, string option, string rule)
    {
        if (!ok)
        {
            throw new UsageException($"{option} {rule}");
        }
    }
}
