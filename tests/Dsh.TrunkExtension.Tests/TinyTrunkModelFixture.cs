using Dsh.Model;
using Dsh.Tests.Support;

namespace Dsh.TrunkExtension.Tests;

/// <summary>
/// Trains one model on <see cref="TinyTrunkSpec"/> trunks (once for the test class) on a generated dataset of shapes,
/// saves it and loads it back in the same process. Everything goes through the public API.
/// </summary>
public sealed class TinyTrunkModelFixture : IDisposable
{
    public TinyTrunkModelFixture()
    {
        Folder = Directory.CreateTempSubdirectory("dsh-tiny-trunk-").FullName;
        (string sketchRoot, string photoRoot) = ShapeImages.WriteDataset(Path.Combine(Folder, "data"), sketchesPerCategory: 3, photosPerCategory: 3, seed: 7, size: 40, pngPhotos: true);
        SketchFiles = Directory.GetFiles(sketchRoot, "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        PhotoFiles = Directory.GetFiles(photoRoot, "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        Options = new DshTrainerOptions
        {
            Architecture = Architecture(16),
            Epochs = 2,
            BatchSize = 4,
            EncodeBatchSize = 8,
            Seed = 3,
            Threads = 1,
            UseWordNet = false,
            TokenCacheDirectory = Path.Combine(Folder, "tokens"),
        };
        Trained = new DshTrainer(Options).Fit(SbirDataset.FromFolders(sketchRoot, photoRoot));
        SketchCodesBefore = Trained.EncodeSketches(SketchFiles).ToArray();
        PhotoCodesBefore = Trained.EncodePhotos(PhotoFiles).ToArray();
        ModelPath = Path.Combine(Folder, "tiny.dshmodel");
        Trained.Save(ModelPath);
        Loaded = DshModel.Load(ModelPath);
    }

    /// <summary>
    /// The compact network with tiny trunks of different widths and input sides in the two roles (so the file must keep
    /// each spec's own values), narrower heads, and TorchSharp's default initialisation (the tiny trunk has no paper fillers).
    /// </summary>
    public static DshArchitecture Architecture(int codeLength, TokenBatchNorm tokenBatchNorm = TokenBatchNorm.PerBranch)
    {
        DshArchitecture compact = DshArchitecture.Compact(codeLength);
        return (compact with
        {
            SketchTrunk = new TinyTrunkSpec { InputSize = 32, Channels = 8, PooledSide = 2 },
            PhotoTrunk = new TinyTrunkSpec { InputSize = 40, Channels = 6, PooledSide = 2, BatchNormEpsilon = 1e-4 },
            SketchHead = compact.SketchHead with { Widths = new[] { 32, 16 } },
            FusionHead = compact.FusionHead with { Widths = new[] { 32, 16 } },
            TokenBatchNorm = tokenBatchNorm,
            Initialization = DshInitialization.TorchDefault,
        }).Validated();
    }

    public string Folder { get; }

    public IReadOnlyList<string> SketchFiles { get; }

    public IReadOnlyList<string> PhotoFiles { get; }

    public DshTrainerOptions Options { get; }

    public DshModel Trained { get; }

    public IReadOnlyList<Hashing.BinaryCode> SketchCodesBefore { get; }

    public IReadOnlyList<Hashing.BinaryCode> PhotoCodesBefore { get; }

    public string ModelPath { get; }

    public DshModel Loaded { get; }

    public void Dispose()
    {
        Loaded.Dispose();
        Trained.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
