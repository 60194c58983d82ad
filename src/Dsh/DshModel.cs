using Dsh.Hashing;
using Dsh.Imaging;
using Dsh.Model;
using Dsh.Persistence;
using Dsh.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh;

/// <summary>
/// A trained DSH model: the network, its architecture (and so the code length), the category names and how it was
/// trained. Saved as one checksummed file (<see cref="Save"/> / <see cref="Load(string)"/>). Encodes sketches and
/// photos (the photo's sketch-token map is computed here) into <see cref="BinaryCode"/>s and builds Hamming indexes.
/// Encoding is thread-safe: the network stays in eval mode, so any number of threads may encode with one model at once
/// and get the codes sequential calls give. Setting <see cref="TokenExtractor"/>, <see cref="ImageDecoding"/> or
/// <see cref="EncodeBatchSize"/>, or putting <see cref="Network"/> into training mode, while others encode is not.
/// </summary>
public sealed partial class DshModel : IDshEncoder
{
    private bool _disposed;

    internal DshModel(DshNetwork network, IReadOnlyList<string> categories, TrainingSummary summary, string tokenExtractorName,
        DshTrainerOptions? trainingOptions = null)
    {
        Network = network;
        Categories = categories.ToArray();
        Summary = summary;
        TokenExtractorName = tokenExtractorName;
        TrainingOptions = trainingOptions;
        MirrorSketches = network.Architecture.MirrorSketches;
        network.eval();
    }

    /// <summary>The options the model was trained with (null for a model made otherwise); saved in the file's header.</summary>
    public DshTrainerOptions? TrainingOptions { get; }

    /// <summary>The trained network (eval mode). Owned by the model.</summary>
    public DshNetwork Network { get; }

    /// <summary>The network's shapes; <see cref="DshArchitecture.CodeLength"/> is the code length.</summary>
    public DshArchitecture Architecture => Network.Architecture;

    /// <summary>Code length in bits.</summary>
    public int CodeLength => Architecture.CodeLength;

    /// <summary>Category names, in label order.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>How training went.</summary>
    public TrainingSummary Summary { get; }

    /// <summary>The <see cref="ISketchTokenExtractor.Name"/> of the token extractor the model was trained with.</summary>
    public string TokenExtractorName { get; }

    /// <summary>Header of a model file.</summary>
    internal sealed record FileHeader
    {
        public required DshArchitecture Architecture { get; init; }
        public required IReadOnlyList<string> Categories { get; init; }
        public required TrainingSummary Summary { get; init; }
        public required string TokenExtractor { get; init; }
        public DshTrainerOptions? TrainingOptions { get; init; }
        public string Library { get; init; } = typeof(DshModel).Assembly.GetName().Version?.ToString() ?? "";
        public DateTime SavedUtc { get; init; }

        /// <summary>The header in <paramref name="json"/>, checked: an architecture that validates and named categories.</summary>
        /// <exception cref="InvalidDataException">Not such a header; the message names <paramref name="path"/>.</exception>
        public static FileHeader Parse(string json, string path)
        {
            FileHeader header = DshJson.Deserialize<FileHeader>(json, path);
            if (header.Architecture is null || header.Categories is null || header.Categories.Count == 0 || header.Categories.Any(c => c is null))
            {
                throw new InvalidDataException($"{path}: the header lacks the architecture or the categories.");
            }
            try
            {
                header.Architecture.Validate();
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{path}: invalid architecture in the header ({e.Message}).", e);
            }
            return header;
        }
    }

    /// <summary>Writes the model to <paramref name="path"/> atomically (a crash leaves the old file or none, never half a file).</summary>
    public void Save(string path)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        DshFile.Write(path, DshFileKind.Model, DshJson.Serialize(CreateHeader()), writer => Network.save(writer));
    }

    /// <summary>What a saved model (and an ONNX export) says about itself besides the weights.</summary>
    internal FileHeader CreateHeader()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new FileHeader
        {
            Architecture = Architecture,
            Categories = Categories,
            Summary = Summary,
            TokenExtractor = TokenExtractorName,
            TrainingOptions = TrainingOptions,
            SavedUtc = DateTime.UtcNow,
        };
    }

    /// <summary>
    /// Reads a model file written by <see cref="Save"/> within the default limits (<see cref="DshModelLoadOptions.Default"/>);
    /// the network is on the CPU in eval mode.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">
    /// Not a Dsh model file, a newer format, damaged (checksum, header or weights), or over a load limit.
    /// </exception>
    public static DshModel Load(string path) => Load(path, DshModelLoadOptions.Default);

    /// <summary>
    /// Reads a model file written by <see cref="Save"/>; the network is on the CPU in eval mode. Before anything is
    /// built, the header's size, its architecture and that architecture's parameter count and weight bytes are checked
    /// against <paramref name="options"/>; then every saved tensor's name, element type and shape is checked against the
    /// network before its data is read into it.
    /// </summary>
    /// <param name="path">The model file.</param>
    /// <param name="options">The load limits.</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> has a limit out of range.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">
    /// Not a Dsh model file, a newer format, damaged (checksum, header or weights), or over a limit of
    /// <paramref name="options"/>; the one-line message names the file (and the tensor or the limit concerned).
    /// </exception>
    public static DshModel Load(string path, DshModelLoadOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(options);
        options.Validated();
        (string json, BinaryReader reader) = DshFile.Open(path, DshFileKind.Model, options.MaxHeaderBytes);
        using (reader)
        {
            FileHeader header = FileHeader.Parse(json, path);
            options.CheckBudget(header.Architecture, path);
            DshNetwork network = LoadFailures.Guard(path, "building the network in its header", () => new DshNetwork(header.Architecture));
            try
            {
                LoadFailures.Guard(path, "reading the weights", () => StateDictReader.ReadInto(reader, network, path, network.SharedMemberState()));
                if (reader.BaseStream.Position != reader.BaseStream.Length)
                {
                    throw new InvalidDataException(
                        $"{path}: {reader.BaseStream.Length - reader.BaseStream.Position} bytes are left after the weights.");
                }
            }
            catch
            {
                network.Dispose();
                throw;
            }
            return new DshModel(network, header.Categories, header.Summary ?? new TrainingSummary(), header.TokenExtractor ?? "", header.TrainingOptions);
        }
    }

    /// <summary>Disposes the network.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Network.Dispose();
        }
    }
}
