using System.Globalization;
using System.IO.Hashing;
using System.Text;
using static TorchSharp.torch;

namespace Dsh.Training;

/// <summary>
/// Everything that shapes a run's trajectory besides the architecture, seed, batch size and data: a checkpoint
/// written under other settings must not be resumed as if it were this run. Stored in every checkpoint header.
/// </summary>
internal sealed record TrainingRunSettings
{
    public required double LearningRate { get; init; }
    public required double LearningRateDecay { get; init; }
    public string LearningRateSchedule { get; init; } = nameof(Training.LearningRateSchedule.Constant);
    public required double Momentum { get; init; }
    public required double WeightDecay { get; init; }
    public required double GradientClipNorm { get; init; }
    public required string Objective { get; init; }
    public required string Augmentation { get; init; }
    public required string ClassVectors { get; init; }
    public required string TokenExtractor { get; init; }
    public bool CacheFrozenStages { get; init; } = true;
    public string FrozenStageCachePrecision { get; init; } = nameof(CachePrecision.Float32);
    public int FrozenStageCacheVariants { get; init; } = 1;
    public string InitialCodes { get; init; } = nameof(CodeInitialization.Random);
    public int AveragedEpochs { get; init; }

    /// <summary>The sketch trunk's factor on the learning rate (1 in checkpoints written before it existed).</summary>
    public double SketchTrunkLearningRateFactor { get; init; } = 1;

    /// <summary>The fusion head's factor on the learning rate (1 in checkpoints written before it existed).</summary>
    public double FusionHeadLearningRateFactor { get; init; } = 1;

    /// <summary>The class-code term's weight (0 in checkpoints written before it existed).</summary>
    public double ClassCodeWeight { get; init; }

    /// <summary>The class-code term's logit scale (16 in checkpoints written before it existed).</summary>
    public double ClassCodeScale { get; init; } = 16;

    public static TrainingRunSettings From(DshTrainerOptions o, Tensor classVectors, string tokenExtractor) => new()
    {
        LearningRate = o.LearningRate,
        LearningRateDecay = o.LearningRateDecay,
        LearningRateSchedule = o.LearningRateSchedule.ToString(),
        Momentum = o.Momentum,
        WeightDecay = o.WeightDecay,
        GradientClipNorm = o.GradientClipNorm,
        Objective = o.Objective.CheckpointText(),
        Augmentation = o.Augmentation.CheckpointText(),
        ClassVectors = Hash(classVectors),
        TokenExtractor = tokenExtractor,
        CacheFrozenStages = o.CacheFrozenStages,
        FrozenStageCachePrecision = o.FrozenStageCachePrecision.ToString(),
        FrozenStageCacheVariants = o.FrozenStageCacheVariants,
        InitialCodes = o.InitialCodes.ToString(),
        AveragedEpochs = o.EffectiveAveragedEpochs,
        SketchTrunkLearningRateFactor = o.SketchTrunkLearningRateFactor,
        FusionHeadLearningRateFactor = o.FusionHeadLearningRateFactor,
        ClassCodeWeight = o.ClassCodeWeight,
        ClassCodeScale = o.ClassCodeScale,
    };

    /// <summary>The names of the settings that differ from <paramref name="other"/> (empty when none).</summary>
    public IReadOnlyList<string> Differences(TrainingRunSettings? other)
    {
        if (other is null)
        {
            return new[] { "all settings (the checkpoint predates them)" };
        }
        var names = new List<string>();
        void Check(bool same, string name)
        {
            if (!same)
            {
                names.Add(name);
            }
        }
        Check(LearningRate.Equals(other.LearningRate), nameof(LearningRate));
        Check(LearningRateDecay.Equals(other.LearningRateDecay), nameof(LearningRateDecay));
        Check(LearningRateSchedule == other.LearningRateSchedule, nameof(LearningRateSchedule));
        Check(Momentum.Equals(other.Momentum), nameof(Momentum));
        Check(WeightDecay.Equals(other.WeightDecay), nameof(WeightDecay));
        Check(GradientClipNorm.Equals(other.GradientClipNorm), nameof(GradientClipNorm));
        Check(Objective == other.Objective, nameof(Objective));
        Check(Augmentation == other.Augmentation, nameof(Augmentation));
        Check(ClassVectors == other.ClassVectors, "class vectors");
        Check(TokenExtractor == other.TokenExtractor, "sketch-token extractor");
        Check(CacheFrozenStages == other.CacheFrozenStages, nameof(CacheFrozenStages));
        Check(FrozenStageCachePrecision == other.FrozenStageCachePrecision, nameof(FrozenStageCachePrecision));
        Check(FrozenStageCacheVariants == other.FrozenStageCacheVariants, nameof(FrozenStageCacheVariants));
        Check(InitialCodes == other.InitialCodes, nameof(InitialCodes));
        Check(AveragedEpochs == other.AveragedEpochs, nameof(AveragedEpochs));
        Check(SketchTrunkLearningRateFactor.Equals(other.SketchTrunkLearningRateFactor), nameof(SketchTrunkLearningRateFactor));
        Check(FusionHeadLearningRateFactor.Equals(other.FusionHeadLearningRateFactor), nameof(FusionHeadLearningRateFactor));
        Check(ClassCodeWeight.Equals(other.ClassCodeWeight), nameof(ClassCodeWeight));
        Check(ClassCodeScale.Equals(other.ClassCodeScale), nameof(ClassCodeScale));
        return names;
    }

    private static string Hash(Tensor classVectors)
    {
        using var scope = NewDisposeScope();
        double[] values = classVectors.to(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
        var hash = new XxHash128();
        hash.Append(Encoding.ASCII.GetBytes(string.Join("x", classVectors.shape.Select(d => d.ToString(CultureInfo.InvariantCulture)))));
        hash.Append(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        return Convert.ToHexString(hash.GetCurrentHash());
    }
}
