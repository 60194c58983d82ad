using Dsh.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh;

/// <summary>
/// Trains a DSH model: <c>new DshTrainer(options).Fit(dataset)</c>. Runs the paper's alternating optimisation
/// (closed-form D, discrete B_I and B_S, then back-propagation of both networks onto the fixed codes) for
/// <see cref="DshTrainerOptions.Epochs"/> outer iterations, writing checkpoints and resuming from the latest one
/// when a checkpoint folder is set. The returned model's network is on the CPU. See docs/training.md.
/// </summary>
public sealed partial class DshTrainer
{
    /// <summary>Creates a trainer; the options are validated here.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public DshTrainer(DshTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validated();
    }

    /// <summary>The validated options.</summary>
    public DshTrainerOptions Options { get; }

    /// <summary>Trains on tensors served by <paramref name="data"/> (the dataset path and tests go through here).</summary>
    internal DshModel Fit(IDshTrainingData data, Tensor classVectors, string semanticSource, string tokenExtractorName,
        IProgress<DshProgress>? progress, CancellationToken cancellationToken, IReadOnlyList<string>? missingClassWords = null)
    {
        var loop = new DshTrainingLoop(Options, data, classVectors, semanticSource, tokenExtractorName);
        (DshNetwork network, TrainingSummary summary) = loop.Run(progress, cancellationToken);
        if (network.Device.type != DeviceType.CPU)
        {
            network.to(CPU);
        }
        summary = summary with { MissingClassWords = missingClassWords ?? Array.Empty<string>() };
        return new DshModel(network, data.Categories, summary, tokenExtractorName, Options);
    }
}
