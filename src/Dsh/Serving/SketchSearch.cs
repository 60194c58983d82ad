using System.Diagnostics;
using System.Security.Cryptography;
using Dsh.Hashing.Persistence;
using Dsh.Hashing;
using Dsh.Imaging;
using Microsoft.Extensions.Logging;

namespace Dsh.Serving;

/// <summary>
/// Sketch search over a photo gallery for a server: one loaded model and one gallery held in memory, shared by every
/// request. Searches run on any number of threads at once (the model's encoders are thread-safe); photos added or removed
/// are written to the gallery file in groups, one writer at a time across processes (the gallery's lock file), and a call
/// completes only once the file holds the change. Register it with
/// <c>services.AddDshSketchSearch(…)</c>; <c>dsh serve</c> is built on it.
/// </summary>
public sealed class SketchSearch : IAsyncDisposable, IDisposable
{
    /// <summary>The folder under <see cref="PhotosRoot"/> that photos added by <see cref="AddPhotoAsync"/> are written to.</summary>
    public const string UploadsFolder = "uploads";

    private readonly GalleryWriteQueue? _writes;
    private readonly string _rootWithSeparator;
    private int _disposed;

    /// <summary>Serves <paramref name="gallery"/> with <paramref name="model"/>; the service owns (and disposes) the model.</summary>
    /// <param name="model">The model whose photo codes the gallery holds.</param>
    /// <param name="gallery">The gallery, loaded from <paramref name="galleryPath"/>.</param>
    /// <param name="galleryPath">The gallery file changes are written to.</param>
    /// <param name="options">Photos root, limits, lock timeout.</param>
    /// <param name="log">Where background problems are logged; null for nowhere.</param>
    /// <exception cref="ArgumentException">The model's code length is not the gallery's.</exception>
    public SketchSearch(DshModel model, Gallery gallery, string galleryPath, SketchSearchOptions? options = null, ILogger? log = null)
        : this((IDshEncoder)model, gallery, galleryPath, options, log)
    {
    }

    /// <summary>
    /// Serves <paramref name="gallery"/> with any encoder of the model that made its codes (a <see cref="DshModel"/>, or a
    /// <see cref="Inference.DshOnnxEncoder"/> of its ONNX export); the service owns (and disposes) the encoder.
    /// </summary>
    /// <param name="model">The encoder of the model whose photo codes the gallery holds.</param>
    /// <param name="gallery">The gallery, loaded from <paramref name="galleryPath"/>.</param>
    /// <param name="galleryPath">The gallery file changes are written to.</param>
    /// <param name="options">Photos root, limits, mirroring, lock timeout; <see cref="SketchSearchOptions.ModelPath"/> and
    /// <see cref="SketchSearchOptions.GalleryPath"/> are not read.</param>
    /// <param name="log">Where background problems (a failed reload) are logged; null for nowhere.</param>
    /// <exception cref="ArgumentException">The model's code length is not the gallery's.</exception>
    /// <exception cref="NotSupportedException"><see cref="SketchSearchOptions.MirrorSketches"/> is true and the encoder cannot mirror.</exception>
    public SketchSearch(IDshEncoder model, Gallery gallery, string galleryPath, SketchSearchOptions? options = null, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(gallery);
        ArgumentException.ThrowIfNullOrWhiteSpace(galleryPath);
        options ??= new SketchSearchOptions();
        if (model.CodeLength != gallery.CodeLength)
        {
            throw new ArgumentException($"The model makes {model.CodeLength}-bit codes but the gallery holds {gallery.CodeLength}-bit codes.", nameof(gallery));
        }
        Encoder = model;
        Encoder.ImageDecoding = options.ImageDecoding;
        if (options.MirrorSketches is { } mirror)
        {
            Encoder.MirrorSketches = mirror;
        }
        Gallery = gallery;
        GalleryPath = Path.GetFullPath(galleryPath);
        PhotosRoot = Path.GetFullPath(options.PhotosRoot ?? DefaultPhotosRoot(gallery, GalleryPath));
        _rootWithSeparator = Path.EndsInDirectorySeparator(PhotosRoot) ? PhotosRoot : PhotosRoot + Path.DirectorySeparatorChar;
        ArgumentOutOfRangeException.ThrowIfNegative(options.RerankDepth, nameof(options));
        RerankDepth = options.RerankDepth;
        _writes = options.ReadOnly ? null : new GalleryWriteQueue(gallery, GalleryPath, options.LockTimeout, options.RefreshInterval, log);
    }

    /// <summary>How many Hamming candidates each search re-orders by the sketch's real-valued output (<see cref="SketchSearchOptions.RerankDepth"/>; 0: none).</summary>
    public int RerankDepth { get; }

    /// <summary>Whether adds and removals are refused (<see cref="SketchSearchOptions.ReadOnly"/>).</summary>
    public bool IsReadOnly => _writes is null;

    /// <summary>The encoder (owned by this service).</summary>
    public IDshEncoder Encoder { get; }

    /// <summary>The model, when the service encodes with TorchSharp (owned by this service).</summary>
    /// <exception cref="InvalidOperationException">The service encodes with another encoder (see <see cref="Encoder"/>).</exception>
    public DshModel Model => Encoder as DshModel
        ?? throw new InvalidOperationException($"This service encodes with {Encoder.GetType().Name}, not a DshModel; use SketchSearch.Encoder.");

    /// <summary>The gallery in memory (thread-safe to read; change it through this service so the file follows).</summary>
    public Gallery Gallery { get; }

    /// <summary>The gallery file.</summary>
    public string GalleryPath { get; }

    /// <summary>The folder gallery keys are resolved against (see <see cref="SketchSearchOptions.PhotosRoot"/>).</summary>
    public string PhotosRoot { get; }

    /// <summary>Loads the model and the gallery named by <paramref name="options"/> and serves them.</summary>
    /// <param name="options">What to load.</param>
    /// <param name="log">Where background problems are logged; null for nowhere.</param>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is damaged, or the model and the gallery have different code lengths.</exception>
    public static SketchSearch Open(SketchSearchOptions options, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validated();
        Gallery gallery = Gallery.Load(options.GalleryPath);
        // A folder is an ONNX export (dsh export): encoded with ONNX Runtime, no libtorch needed.
        IDshEncoder model = Directory.Exists(options.ModelPath)
            ? Inference.DshOnnxEncoder.Load(options.ModelPath)
            : DshModel.Load(options.ModelPath);
        try
        {
            if (model.CodeLength != gallery.CodeLength)
            {
                throw new InvalidDataException(
                    $"The model '{options.ModelPath}' makes {model.CodeLength}-bit codes but the gallery '{options.GalleryPath}' holds {gallery.CodeLength}-bit codes.");
            }
            return new SketchSearch(model, gallery, options.GalleryPath, options, log);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The <paramref name="k"/> gallery items nearest to the sketch in <paramref name="sketch"/>, as <c>dsh search</c> ranks
    /// them: by Hamming distance, the first <see cref="RerankDepth"/> re-ordered by the sketch's real-valued output.
    /// </summary>
    /// <param name="sketch">An encoded image (PNG, JPEG, …) from its current position.</param>
    /// <param name="k">How many results, at least 1 (fewer when the gallery is smaller).</param>
    /// <exception cref="InvalidDataException">Not a readable image, or over a limit (then wrapping an <see cref="ImageLimitExceededException"/>).</exception>
    public SketchSearchResult Search(Stream sketch, int k)
    {
        ArgumentNullException.ThrowIfNull(sketch);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var clock = Stopwatch.StartNew();
        float[] embedding = Encoder.EmbedSketch(sketch);
        double encodeMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        IReadOnlyList<GalleryNeighbor> results = RerankDepth > 0
            ? Gallery.SearchItems(embedding, k, RerankDepth)
            : Gallery.SearchItems(BinaryCode.FromSigns(embedding), k);
        return new SketchSearchResult(results, encodeMs, clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>
    /// Encodes a photo, stores its bytes as <c>uploads/&lt;hash&gt;.&lt;ext&gt;</c> under <see cref="PhotosRoot"/> and adds it to
    /// the gallery; completes once the gallery file holds it. The same bytes added twice are one item (the second call
    /// returns the first id with <see cref="PhotoAddition.Added"/> false).
    /// </summary>
    /// <param name="photo">An encoded image from its current position.</param>
    /// <param name="category">Its category, or null.</param>
    /// <param name="cancellationToken">Stops waiting; a change already queued is still written.</param>
    /// <exception cref="InvalidDataException">Not a readable image, or over a limit.</exception>
    /// <exception cref="ArgumentException">The category is not a valid gallery category.</exception>
    /// <exception cref="NotSupportedException">The search is read-only (<see cref="IsReadOnly"/>).</exception>
    public async Task<PhotoAddition> AddPhotoAsync(Stream photo, string? category, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        _ = Writes; // a read-only search refuses before reading the upload
        using MemoryStream bytes = await ReadBoundedAsync(photo, cancellationToken).ConfigureAwait(false);
        ImageFileInfo info = DshImaging.Identify(bytes, Encoder.ImageDecoding);
        string name = Convert.ToHexStringLower(SHA256.HashData(bytes.GetBuffer().AsSpan(0, (int)bytes.Length)))[..32] + info.Extension;
        var item = new GalleryItem(UploadsFolder + "/" + name, string.IsNullOrWhiteSpace(category) ? null : category.Trim());
        if (Gallery.TryFindKey(item.Key, out long known) && Gallery.TryGetItem(known, out GalleryItem? existing))
        {
            return new PhotoAddition(known, Gallery.Count, existing, Added: false);
        }
        BinaryCode code = Encoder.EncodePhoto(bytes);
        string file = Path.Combine(PhotosRoot, UploadsFolder, name);
        bool wrote = false;
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            AtomicFile.Write(file, s => s.Write(bytes.GetBuffer(), 0, (int)bytes.Length));
            wrote = true;
        }
        try
        {
            (long id, bool added) = await Writes.AddAsync(code, item, cancellationToken).ConfigureAwait(false);
            GalleryItem stored = Gallery.TryGetItem(id, out GalleryItem? now) ? now : item;
            return new PhotoAddition(id, Gallery.Count, stored, added);
        }
        catch (Exception) when (wrote && !Gallery.TryFindKey(item.Key, out _))
        {
            TryDelete(file);
            throw;
        }
    }

    /// <summary>Removes an item from the gallery (and its file, when this service stored it under <c>uploads/</c>); completes once the gallery file no longer holds it.</summary>
    /// <param name="id">The item's id.</param>
    /// <param name="cancellationToken">Stops waiting; a change already queued is still written.</param>
    /// <returns>Whether the item was there.</returns>
    public async Task<bool> RemovePhotoAsync(long id, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        _ = Writes;
        string? uploaded = Gallery.TryGetItem(id, out GalleryItem? item) && item.Key.StartsWith(UploadsFolder + "/", StringComparison.Ordinal)
            ? PhotoPath(id)
            : null;
        bool removed = await Writes.RemoveAsync(id, cancellationToken).ConfigureAwait(false);
        if (removed && uploaded is not null && !Gallery.TryFindKey(item!.Key, out _))
        {
            TryDelete(uploaded);
        }
        return removed;
    }

    /// <summary>
    /// The file of item <paramref name="id"/>: its key resolved against <see cref="PhotosRoot"/>; null when the id is
    /// unknown, the file is missing, or the key points outside the root (never a path outside it).
    /// </summary>
    /// <param name="id">The item's id.</param>
    public string? PhotoPath(long id)
    {
        if (!Gallery.TryGetItem(id, out GalleryItem? item))
        {
            return null;
        }
        string relative = item.Key.Replace('/', Path.DirectorySeparatorChar);
        string full;
        try
        {
            full = Path.GetFullPath(Path.IsPathRooted(relative) ? relative : Path.Combine(PhotosRoot, relative));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }
        return full.StartsWith(_rootWithSeparator, StringComparison.Ordinal) && File.Exists(full) ? full : null;
    }

    /// <summary>Writes every queued change, then disposes the encoder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        if (_writes is not null)
        {
            await _writes.DisposeAsync().ConfigureAwait(false);
        }
        Encoder.Dispose();
    }

    /// <summary>As <see cref="DisposeAsync"/>, blocking.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>The gallery's recorded root when that folder exists, else the gallery file's folder.</summary>
    private GalleryWriteQueue Writes => _writes ?? throw new NotSupportedException(
        $"{GalleryPath} is served read-only (it is not a gallery, or SketchSearchOptions.ReadOnly is set): photos cannot be added or removed.");

    private static string DefaultPhotosRoot(Gallery gallery, string galleryPath) =>
        gallery.Properties.Root is { } root && Directory.Exists(root) ? root : Path.GetDirectoryName(galleryPath)!;

    private async Task<MemoryStream> ReadBoundedAsync(Stream photo, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = await photo.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            ImageDecoding.CheckEncodedSize(buffer.Length + read, "the uploaded photo", Encoder.ImageDecoding);
            buffer.Write(chunk, 0, read);
        }
        buffer.Position = 0;
        return buffer;
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A stray upload wastes disk, nothing more: no gallery item points at it.
        }
    }
}
