using Dsh.Imaging;

namespace Dsh.Serving;

/// <summary>What a <see cref="SketchSearch"/> loads and the limits it keeps.</summary>
public sealed record SketchSearchOptions
{
    /// <summary>
    /// The model file (<c>.dshm</c>, encoded with TorchSharp), or the folder <c>dsh export</c> wrote from it (encoded with
    /// ONNX Runtime; the app then needs no libtorch); loaded once.
    /// </summary>
    public string ModelPath { get; set; } = "";

    /// <summary>The gallery file (<c>.dshi</c>), loaded once and kept in memory; changes are written back to it.</summary>
    public string GalleryPath { get; set; } = "";

    /// <summary>
    /// The folder the gallery's keys are relative to: photos are read from it, and photos added through
    /// <see cref="SketchSearch.AddPhotoAsync"/> are written to its <c>uploads/</c> folder. Null: the folder the gallery
    /// records (<see cref="Hashing.GalleryProperties.Root"/>) when it exists, else the gallery file's folder.
    /// </summary>
    public string? PhotosRoot { get; set; }

    /// <summary>
    /// Searches only: adds and removals are refused with a <see cref="NotSupportedException"/>, and the gallery file is
    /// never written or reloaded (for an index file that holds no photos, or a gallery on read-only storage).
    /// </summary>
    public bool ReadOnly { get; set; }

    /// <summary>The default of <see cref="RerankDepth"/>.</summary>
    public const int DefaultRerankDepth = 100;

    /// <summary>
    /// The second stage of every search: how many Hamming candidates are re-ordered by the sketch's real-valued output
    /// against their codes (<see cref="Hashing.AsymmetricReranker"/>; default <see cref="DefaultRerankDepth"/>). 0 keeps
    /// the Hamming order (ties by id). See docs/evaluation.md#re-ranking.
    /// </summary>
    public int RerankDepth { get; set; } = DefaultRerankDepth;

    /// <summary>
    /// Whether each sketch is also encoded mirrored and the outputs averaged (<see cref="DshModel.MirrorSketches"/>); null
    /// (the default) leaves the encoder's own choice, the model's <see cref="DshArchitecture.MirrorSketches"/> unless set.
    /// </summary>
    public bool? MirrorSketches { get; set; }

    /// <summary>The limits every uploaded image is decoded within.</summary>
    public ImageDecodingOptions ImageDecoding { get; set; } = ImageDecodingOptions.Default;

    /// <summary>How long a change waits for another process holding the gallery's lock file (default 30 s).</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an idle service looks whether another process changed the gallery file (default 2 s).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Checks every value and returns this instance.</summary>
    /// <exception cref="ArgumentException">A path is empty or a time is not positive.</exception>
    public SketchSearchOptions Validated()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ModelPath, nameof(ModelPath));
        ArgumentException.ThrowIfNullOrWhiteSpace(GalleryPath, nameof(GalleryPath));
        ArgumentNullException.ThrowIfNull(ImageDecoding, nameof(ImageDecoding));
        ImageDecoding.Validated();
        ArgumentOutOfRangeException.ThrowIfNegative(RerankDepth, nameof(RerankDepth));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(LockTimeout, TimeSpan.Zero, nameof(LockTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RefreshInterval, TimeSpan.Zero, nameof(RefreshInterval));
        return this;
    }
}
