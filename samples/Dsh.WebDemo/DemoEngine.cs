using System.Diagnostics;
using Dsh.Hashing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Dsh.WebDemo;

/// <summary>
/// Holds the model and the gallery index. Started in the background: loads <c>--model</c>, or reuses the cached
/// built-in model, or trains it; then encodes the gallery. Searches are answered once <see cref="State"/> is Ready.
/// </summary>
public sealed class DemoEngine : BackgroundService
{
    private readonly DemoOptions _options;
    private readonly ILogger<DemoEngine> _log;
    private readonly object _encodeLock = new();
    private volatile DemoState _state = DemoState.Starting;
    private volatile string _message = "starting";
    private DshModel? _model;
    private HammingIndex? _index;
    private volatile IReadOnlyList<GalleryPhoto> _photos = Array.Empty<GalleryPhoto>();

    private readonly PreloadedModel _preloaded;

    public DemoEngine(DemoOptions options, PreloadedModel preloaded, ILogger<DemoEngine> log)
    {
        _options = options;
        _preloaded = preloaded;
        _log = log;
    }

    public DemoState State => _state;
    public string Message => _message;
    /// <summary>The gallery (scanned first, before the model is ready).</summary>
    public IReadOnlyList<GalleryPhoto> Photos => _photos;
    public DshModel? Model => _state == DemoState.Ready ? _model : null;

    /// <summary>Where the model came from: "file", "cached" or "trained".</summary>
    public string ModelSource { get; private set; } = "";

    /// <summary>The gallery photo with this id, or null.</summary>
    public GalleryPhoto? Photo(long id)
    {
        IReadOnlyList<GalleryPhoto> photos = _photos;
        return id >= 0 && id < photos.Count ? photos[(int)id] : null;
    }

    /// <summary>The k nearest gallery photos of a prepared sketch, nearest first (ties by id).</summary>
    public (IReadOnlyList<Neighbor> Neighbors, double EncodeMs, double SearchMs) Search(Image<Rgb24> sketch, int k)
    {
        if (_state != DemoState.Ready || _model is null || _index is null)
        {
            throw new InvalidOperationException("The model is not ready yet.");
        }
        var watch = Stopwatch.StartNew();
        BinaryCode code;
        lock (_encodeLock)
        {
            code = _model.EncodeSketch(sketch);
        }
        double encodeMs = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        IReadOnlyList<Neighbor> neighbors = _index.Search(code, Math.Min(k, _photos.Count));
        return (neighbors, encodeMs, watch.Elapsed.TotalMilliseconds);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await Task.Run(() => Prepare(stoppingToken), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _message = "failed: " + e.Message.ReplaceLineEndings(" ");
            _state = DemoState.Failed;
            _log.LogError("The demo could not start ({Message})", _message);
        }
    }

    private void Prepare(CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        _photos = GalleryPhoto.Scan(_options.PhotosDirectory);
        if (_photos.Count == 0)
        {
            throw new InvalidDataException($"No images under the gallery folder '{_options.PhotosDirectory}'.");
        }

        DshModel model;
        if (_preloaded.Model is not null)
        {
            model = _preloaded.Model;
            ModelSource = "file";
        }
        else
        {
            model = CachedOrTrained(ct);
        }
        _state = DemoState.Loading;
        _message = $"encoding {_photos.Count} gallery photos";
        _log.LogInformation("Encoding {Count} gallery photos from {Folder}", _photos.Count, _options.PhotosDirectory);
        HammingIndex index = model.BuildIndex(_photos.Select(p => (p.Id, p.Path)));
        _model = model;
        _index = index;
        _message = $"ready: {_photos.Count} photos, {model.CodeLength}-bit codes ({ModelSource} model)";
        _state = DemoState.Ready;
        _log.LogInformation("Ready in {Seconds:F1} s: {Count} photos, {Bits}-bit codes, {Source} model",
            watch.Elapsed.TotalSeconds, _photos.Count, model.CodeLength, ModelSource);
    }

    private DshModel CachedOrTrained(CancellationToken ct)
    {
        string train = _options.TrainDirectory!;
        string key = ModelCacheKey.Compute(train, _options.Profile, _options.Bits, _options.Epochs, _options.Seed);
        string cached = Path.Combine(_options.CacheDirectory, $"dsh-webdemo-{key}.dshm");
        if (File.Exists(cached))
        {
            try
            {
                _state = DemoState.Loading;
                _message = "loading the cached model";
                DshModel model = DshModel.Load(cached);
                ModelSource = "cached";
                _log.LogInformation("Using the cached model {Path}", cached);
                return model;
            }
            catch (InvalidDataException e)
            {
                _log.LogWarning("The cached model {Path} is unreadable ({Message}); training again", cached, e.Message);
            }
        }

        _state = DemoState.Training;
        _message = "training";
        _log.LogInformation("Training a {Profile} {Bits}-bit model on {Folder} for {Epochs} epochs (cached as {Path})",
            _options.Profile, _options.Bits, train, _options.Epochs, cached);
        var dataset = SbirDataset.FromFolders(Path.Combine(train, "sketch"), Path.Combine(train, "photo"));
        var options = new DshTrainerOptions
        {
            // ResNet18: both trunks start from the ImageNet model that Microsoft.ML.DnnImageFeaturizer.ResNet18 copies
            // next to the binary (ResNet18Onnx.DefaultPath, the option's default).
            Architecture = _options.Profile == "compact" ? DshArchitecture.Compact(_options.Bits) : DshArchitecture.ResNet18(_options.Bits),
            Epochs = _options.Epochs,
            Seed = _options.Seed,
        };
        var watch = Stopwatch.StartNew();
        DshModel trained = new DshTrainer(options).Fit(dataset, new TrainingLog(this), ct);
        _log.LogInformation("Trained in {Seconds:F1} s", watch.Elapsed.TotalSeconds);
        try
        {
            Directory.CreateDirectory(_options.CacheDirectory);
            trained.Save(cached);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The training is done; a cache that cannot be written only costs the next start a new training.
            _log.LogWarning("Could not cache the model at {Path}: {Message}", cached, e.Message);
        }
        ModelSource = "trained";
        return trained;
    }

    public override void Dispose()
    {
        if (!ReferenceEquals(_model, _preloaded.Model))
        {
            _model?.Dispose();
        }
        _preloaded.Model?.Dispose();
        base.Dispose();
    }

    /// <summary>Runs inline on the training thread: updates the status line and logs one line per epoch.</summary>
    private sealed class TrainingLog(DemoEngine engine) : IProgress<DshProgress>
    {
        public void Report(DshProgress p)
        {
            string eta = p.Eta is TimeSpan t ? $", ETA {t.TotalSeconds:F0} s" : "";
            engine._message = p.Phase switch
            {
                TrainingPhase.NetworkStep => $"training: epoch {p.Epoch}/{p.Epochs}, step {p.Step}/{p.TotalSteps}, loss {p.BatchLoss:F3}{eta}",
                _ => $"training: epoch {p.Epoch}/{p.Epochs}, {p.Phase}{(p.Message.Length > 0 ? ": " + p.Message : "")}",
            };
            if (p.Phase is TrainingPhase.Preparing or TrainingPhase.CodeUpdate or TrainingPhase.Done)
            {
                engine._log.LogInformation("{Status} ({Elapsed:F1} s)", engine._message, p.Elapsed.TotalSeconds);
            }
        }
    }
}
