using System.Text.Json.Nodes;
using Dsh.Imaging.Augmentation;
using Dsh.Persistence;
using Dsh.Tests.Support;
using Dsh.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Training;

/// <summary>A tiny network and options so a whole run takes a second or two.</summary>
internal static class TrainingFixtures
{
    public static DshArchitecture TinyArchitecture { get; } = DshArchitecture.Compact(16).WithChannels([8, 8, 8, 8, 8], [8, 8, 8, 8, 8]).WithHeadWidths([32, 32], [32, 32]);

    public static DshTrainerOptions Options(string? checkpoints = null, int epochs = 3, int seed = 1) => new()
    {
        Architecture = TinyArchitecture,
        Epochs = epochs,
        BatchSize = 8,
        LearningRate = 1e-3,
        Seed = seed,
        Threads = 2,
        CheckpointDirectory = checkpoints,
        Augmentation = AugmentationOptions.Default,
    };

    public static SyntheticTrainingData Data() => new(TinyArchitecture, classes: 3, photosPerClass: 8, sketchesPerClass: 10);

    public static DshModel Fit(DshTrainerOptions options, SyntheticTrainingData data, IProgress<DshProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        using var classVectors = torch.eye(3, dtype: ScalarType.Float64);
        return new DshTrainer(options).Fit(data, classVectors, "one-hot", "synthetic", progress, cancellationToken);
    }

    /// <summary>
    /// <paramref name="settings"/> as a checkpoint header written before <paramref name="field"/> existed reads back: the
    /// same JSON without that field.
    /// </summary>
    public static TrainingRunSettings WithoutField(TrainingRunSettings settings, string field)
    {
        JsonObject header = JsonNode.Parse(DshJson.Serialize(settings))!.AsObject();
        Assert.True(header.Remove(field));
        return DshJson.Deserialize<TrainingRunSettings>(header.ToJsonString(), "old.dshckpt");
    }

    /// <summary>Every tensor of the network's state, copied to float64 arrays by key.</summary>
    public static Dictionary<string, double[]> Weights(DshModel model) =>
        model.Network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.to(ScalarType.Float64).data<double>().ToArray());
}

/// <summary>An IProgress that runs the callback on the reporting (training) thread, at once.</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
