using System.Globalization;
using Dsh.Model;
using Dsh.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Training;

/// <summary>
/// One checkpoint: where the run stands (epoch, step within it), the network, the optimiser's momentum, the
/// codes and D of the current epoch, and the weight average when the run keeps one. Files are <c>checkpoint-{step:D9}.dshckpt</c> in the checkpoint folder,
/// written atomically by <see cref="DshFile"/>; the newest readable one is resumed.
/// </summary>
internal sealed class TrainingCheckpoint
{
    public const string Extension = ".dshckpt";

    /// <summary>The JSON header.</summary>
    public sealed record Header
    {
        public required DshArchitecture Architecture { get; init; }
        public required int Seed { get; init; }
        public required int BatchSize { get; init; }
        public required string DataFingerprint { get; init; }
        public TrainingRunSettings? Settings { get; init; }
        /// <summary>0-based epoch the run is in.</summary>
        public required int Epoch { get; init; }
        /// <summary>θ-steps of <see cref="Epoch"/> already done (0: the epoch's code update has not run yet).</summary>
        public required int StepInEpoch { get; init; }
        public required long GlobalStep { get; init; }
        public double LastBatchLoss { get; init; } = double.NaN;
        public DshLossTerms? Terms { get; init; }
        public long BitsChanged { get; init; }
        public DateTime WrittenUtc { get; init; }
    }

    /// <summary>Writes a checkpoint and deletes all but the newest <paramref name="keep"/>.</summary>
    public static string Save(string directory, Header header, DshNetwork network, MomentumSgd optimizer,
        Tensor photoCodes, Tensor sketchCodes, Tensor? d, WeightAverage? average, int keep)
    {
        string path = Path.Combine(directory, $"checkpoint-{header.GlobalStep.ToString("D9", CultureInfo.InvariantCulture)}{Extension}");
        DshFile.Write(path, DshFileKind.Checkpoint, DshJson.Serialize(header with { WrittenUtc = DateTime.UtcNow }), writer =>
        {
            using var scope = NewDisposeScope(); // cpu() copies
            network.save(writer);
            writer.Write(optimizer.Buffers.Count);
            foreach (Tensor buffer in optimizer.Buffers)
            {
                buffer.cpu().Save(writer);
            }
            photoCodes.cpu().Save(writer);
            sketchCodes.cpu().Save(writer);
            writer.Write(d is not null);
            d?.cpu().Save(writer);
            average?.Save(writer);
        });
        foreach (string old in List(directory).Skip(keep))
        {
            try
            {
                File.Delete(old);
            }
            catch (IOException)
            {
                // An old checkpoint that cannot be deleted now is deleted by a later save.
            }
        }
        return path;
    }

    /// <summary>Checkpoint files in <paramref name="directory"/>, newest first.</summary>
    public static IReadOnlyList<string> List(string directory) =>
        Directory.Exists(directory)
            ? Directory.GetFiles(directory, "checkpoint-*" + Extension).OrderByDescending(p => p, StringComparer.Ordinal).ToArray()
            : Array.Empty<string>();

    /// <summary>The restored state of a run.</summary>
    public sealed record Restored(string Path, Header Header, Tensor PhotoCodes, Tensor SketchCodes, Tensor? D);

    /// <summary>
    /// Loads the newest readable checkpoint into <paramref name="network"/> and <paramref name="optimizer"/>; damaged
    /// files are skipped (reported through <paramref name="skipped"/>). Null when there is none. Every saved tensor's
    /// name, element type and shape is checked before its data is read: the network's and the momentum buffers' against
    /// those tensors, the codes' against [code length, <paramref name="photoCount"/>] and [code length,
    /// <paramref name="sketchCount"/>] (float32), D's against [<paramref name="vectorDimension"/>, code length] (float64).
    /// </summary>
    /// <exception cref="InvalidOperationException">The newest readable checkpoint belongs to another run (architecture, seed, batch size or data differ).</exception>
    /// <exception cref="InvalidDataException">Its header matches this run but its tensors do not (a crafted or corrupted file with a valid checksum).</exception>
    public static Restored? LoadLatest(string directory, DshTrainerOptions options, string fingerprint, TrainingRunSettings settings,
        DshNetwork network, MomentumSgd optimizer, WeightAverage? average, long photoCount, long sketchCount, long vectorDimension, Action<string> skipped)
    {
        foreach (string path in List(directory))
        {
            Header header;
            BinaryReader? reader = null;
            try
            {
                (string json, reader) = DshFile.Open(path, DshFileKind.Checkpoint, DshModelLoadOptions.DefaultMaxHeaderBytes);
                header = DshJson.Deserialize<Header>(json, path);
                if (header.Architecture is null)
                {
                    throw new InvalidDataException($"{path}: the header lacks the architecture.");
                }
            }
            catch (InvalidDataException e)
            {
                reader?.Dispose();
                // Set aside (not deleted: it may help a post-mortem), so it no longer counts as a checkpoint.
                string aside = path + ".damaged";
                try
                {
                    File.Move(path, aside, overwrite: true);
                }
                catch (IOException)
                {
                    aside = path;
                }
                skipped($"skipped damaged checkpoint {path} (kept as {aside}): {e.Message}");
                continue;
            }
            using (reader)
            {
                string? mismatch =
                    // MirrorPhotos and MirrorSketches only change how the finished model encodes, not training: a run may resume
                    // with them changed
                    !(header.Architecture with { MirrorPhotos = options.Architecture.MirrorPhotos, MirrorSketches = options.Architecture.MirrorSketches })
                        .Equals(options.Architecture) ? "the architecture" :
                    header.Seed != options.Seed ? $"the seed ({header.Seed})" :
                    header.BatchSize != options.BatchSize ? $"the batch size ({header.BatchSize})" :
                    header.DataFingerprint != fingerprint ? "the training data" :
                    settings.Differences(header.Settings) is { Count: > 0 } names ? string.Join(", ", names) : null;
                if (mismatch is not null)
                {
                    throw new InvalidOperationException(
                        $"The checkpoint {path} was written by a run with a different {mismatch}; resuming it would mix two runs. " +
                        "Use another CheckpointDirectory, or delete the folder's checkpoints to start over.");
                }
                // The network is this run's own (built from options.Architecture, which the header equals), so nothing
                // here is sized by the file: each tensor is checked against what it must fill before it is read.
                return LoadFailures.Guard(path, "reading the checkpoint", () =>
                    ReadPayload(reader, path, header, network, optimizer, average, options.Architecture.CodeLength, photoCount, sketchCount, vectorDimension));
            }
        }
        return null;
    }

    private static Restored ReadPayload(BinaryReader reader, string path, Header header, DshNetwork network, MomentumSgd optimizer,
        WeightAverage? average, long codeLength, long photoCount, long sketchCount, long vectorDimension)
    {
        StateDictReader.ReadInto(reader, network, path, network.SharedMemberState());
        int count = StateDictReader.ReadInt32(reader, path, "the momentum buffer count");
        if (count != optimizer.Buffers.Count)
        {
            throw new InvalidDataException($"{path}: {count} momentum buffers for {optimizer.Buffers.Count} parameters.");
        }
        for (int i = 0; i < count; i++)
        {
            StateDictReader.ReadTensorInto(reader, optimizer.Buffers[i], $"momentum buffer {i + 1} of {count}", path);
        }
        using var scope = NewDisposeScope();
        Tensor photoCodes = StateDictReader.ReadTensor(reader, ScalarType.Float32, [codeLength, photoCount], "photo codes", path);
        Tensor sketchCodes = StateDictReader.ReadTensor(reader, ScalarType.Float32, [codeLength, sketchCount], "sketch codes", path);
        Tensor? d = StateDictReader.ReadFlag(reader, path, "the D flag")
            ? StateDictReader.ReadTensor(reader, ScalarType.Float64, [vectorDimension, codeLength], "D", path)
            : null;
        average?.Load(reader, path); // present exactly when the run averages (AveragedEpochs, checked with the settings)
        if (reader.BaseStream.Position != reader.BaseStream.Length)
        {
            throw new InvalidDataException($"{path}: {reader.BaseStream.Length - reader.BaseStream.Position} bytes are left after the checkpoint's tensors.");
        }
        photoCodes.DetachFromDisposeScope();
        sketchCodes.DetachFromDisposeScope();
        d?.DetachFromDisposeScope();
        return new Restored(path, header, photoCodes, sketchCodes, d);
    }
}
