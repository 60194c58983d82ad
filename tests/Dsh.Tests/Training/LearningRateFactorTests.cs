using Dsh.Tests.Support;
using Dsh.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Training;

/// <summary>
/// The per-part learning-rate factors of <see cref="DshTrainerOptions"/>: each is validated by name, reaches its own part
/// of the network and nothing else, is stored in checkpoints and refuses a resume under another value.
/// </summary>
public sealed class LearningRateFactorTests : IDisposable
{
    /// <summary>One factor: its option, the parameter-name prefix of the part it scales and the parts it leaves alone.</summary>
    public sealed record Factor(
        string Name,
        Func<DshTrainerOptions, double> Get,
        Func<DshTrainerOptions, double, DshTrainerOptions> With,
        string Part,
        string[] OtherParts);

    private static readonly Dictionary<string, Factor> Factors = new[]
    {
        new Factor(nameof(DshTrainerOptions.SketchTrunkLearningRateFactor), o => o.SketchTrunkLearningRateFactor,
            (o, f) => o with { SketchTrunkLearningRateFactor = f }, "sketch_trunk.", ["sketch_head.", "photo_trunk.", "fusion."]),
        new Factor(nameof(DshTrainerOptions.FusionHeadLearningRateFactor), o => o.FusionHeadLearningRateFactor,
            (o, f) => o with { FusionHeadLearningRateFactor = f }, "fusion.", ["sketch_head.", "sketch_trunk.", "photo_trunk."]),
    }.ToDictionary(f => f.Name);

    public static TheoryData<string> FactorNames => new(Factors.Keys);

    public static TheoryData<string, double> BadValues
    {
        get
        {
            var data = new TheoryData<string, double>();
            foreach (string name in Factors.Keys)
            {
                foreach (double bad in new[] { 0.0, -0.3, 10.5, double.NaN, double.PositiveInfinity })
                {
                    data.Add(name, bad);
                }
            }
            return data;
        }
    }

    private readonly TempFolder _dir = new("dsh-lr-factor-");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [MemberData(nameof(FactorNames))]
    public void TheDefault_IsTheFullRate_ForEveryProfile(string name)
    {
        var factor = Factors[name];
        Assert.All(DshProfile.All, p => Assert.Equal(1, factor.Get(p.TrainerOptions())));
        Assert.Equal(1, factor.Get(new DshTrainerOptions()));
    }

    [Theory]
    [MemberData(nameof(BadValues))]
    public void BadFactors_AreRejectedByName(string name, double value)
    {
        var e = Assert.Throws<ArgumentException>(() => Factors[name].With(TrainingFixtures.Options(), value).Validated());
        Assert.Contains(name, e.Message);
    }

    [Fact]
    public void TheSgdStep_ScalesEachParametersRate_ByItsFactor()
    {
        using var scope = NewDisposeScope();
        var slow = new TorchSharp.Modules.Parameter(tensor(new float[] { 1, 2, 3 }));
        var fast = new TorchSharp.Modules.Parameter(tensor(new float[] { 1, 2, 3 }));
        using var sgd = new MomentumSgd([slow, fast], momentum: 0.9, weightDecay: 0, p => ReferenceEquals(p, slow) ? 0.25 : 1);
        Assert.Equal(new[] { 0.25, 1.0 }, sgd.RateFactors);
        for (int step = 0; step < 2; step++)
        {
            sgd.ZeroGrad();
            slow.sum().mul(2).backward(); // ∂/∂p = 2 for every element
            fast.sum().mul(2).backward();
            sgd.Step(0.1);
        }
        // v1 = 2, v2 = 0.9 · 2 + 2 = 3.8: p = p0 − lr · factor · (v1 + v2) = p0 − 0.58 · factor
        float[] s = slow.detach().data<float>().ToArray(), f = fast.detach().data<float>().ToArray();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(i + 1 - 0.58 * 0.25, s[i], 5);
            Assert.Equal(i + 1 - 0.58, f[i], 5);
        }
    }

    [Theory]
    [MemberData(nameof(FactorNames))]
    public void Training_AppliesTheFactor_ToItsOwnPartOnly(string name)
    {
        var factor = Factors[name];
        var data = TrainingFixtures.Data();
        var options = TrainingFixtures.Options(epochs: 1) with { LearningRate = 1e-2 };
        Dictionary<string, double[]> Train(double value, double learningRate = 1e-2)
        {
            using DshModel model = TrainingFixtures.Fit(factor.With(options, value) with { LearningRate = learningRate }, data);
            Assert.Equal(value, factor.Get(model.TrainingOptions!));
            return TrainingFixtures.Weights(model);
        }
        var full = Train(1);
        var tiny = Train(1e-6);
        var tinier = Train(1e-9);
        var untrained = Train(1e-9, learningRate: 1e-12);
        static double MaxDifference(Dictionary<string, double[]> a, Dictionary<string, double[]> b, string prefix) =>
            a.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal) && kv.Key.EndsWith(".weight", StringComparison.Ordinal))
                .Max(kv => kv.Value.Zip(b[kv.Key], (x, y) => Math.Abs(x - y)).Max());
        double partMoves = MaxDifference(full, tiny, factor.Part);
        Assert.True(partMoves > 1e-4, $"the full rate moves {factor.Part} ({partMoves})");
        // with factors of 1e-6 and 1e-9 the part stays at its (same, seeded) initial weights
        Assert.True(MaxDifference(tiny, tinier, factor.Part) < 1e-3 * partMoves);
        // while every other part learns at the full rate either way
        Assert.All(factor.OtherParts, other => Assert.True(MaxDifference(tiny, untrained, other) > 1e-4, other));
    }

    [Theory]
    [MemberData(nameof(FactorNames))]
    public void AResumeUnderAnotherFactor_IsRefused_AndOlderCheckpointsReadAsTheFullRate(string name)
    {
        var factor = Factors[name];
        var data = TrainingFixtures.Data();
        using (TrainingFixtures.Fit(TrainingFixtures.Options(_dir.Path, epochs: 1), data))
        {
        }
        Assert.Contains(name, Assert.Throws<InvalidOperationException>(() =>
            TrainingFixtures.Fit(factor.With(TrainingFixtures.Options(_dir.Path, epochs: 2), 0.5), data)).Message);

        using var classVectors = eye(3, dtype: ScalarType.Float64);
        var full = TrainingRunSettings.From(TrainingFixtures.Options(), classVectors, "contour");
        var slower = TrainingRunSettings.From(factor.With(TrainingFixtures.Options(), 0.5), classVectors, "contour");
        // the settings' field has the option's name
        Assert.Equal(new[] { name }, full.Differences(slower));
        // a checkpoint written before the factor existed trained at the full rate
        Assert.Empty(full.Differences(TrainingFixtures.WithoutField(full, name)));
        Assert.NotEmpty(slower.Differences(TrainingFixtures.WithoutField(slower, name)));
    }
}
