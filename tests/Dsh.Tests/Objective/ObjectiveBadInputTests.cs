using Dsh.Objective;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Objective;

public class ObjectiveBadInputTests
{
    private static Tensor Labels(params long[] values) => torch.tensor(values);

    [Fact]
    public void Problem_RejectsBadLabelsAndVectors()
    {
        using var scope = NewDisposeScope();
        Tensor v = torch.ones(3, 2, ScalarType.Float64);
        Assert.Contains("[0, 2)", Assert.Throws<ArgumentException>(() => new DshCodeProblem(Labels(0, 2), Labels(0), v)).Message);
        Assert.Contains("[0, 2)", Assert.Throws<ArgumentException>(() => new DshCodeProblem(Labels(0), Labels(-1), v)).Message);
        Assert.Contains("non-empty", Assert.Throws<ArgumentException>(() => new DshCodeProblem(torch.zeros(0, ScalarType.Int64), Labels(0), v)).Message);
        Assert.Contains("integer", Assert.Throws<ArgumentException>(() => new DshCodeProblem(torch.zeros(2), Labels(0), v)).Message);
        Assert.Contains("[d, c]", Assert.Throws<ArgumentException>(() => new DshCodeProblem(Labels(0), Labels(0), torch.ones(3))).Message);
        Tensor nan = torch.ones(3, 2, ScalarType.Float64);
        nan[1, 1] = double.NaN;
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => new DshCodeProblem(Labels(0), Labels(0), nan)).Message);
    }

    [Fact]
    public void Solvers_RejectMismatchedShapesAndNonBinaryCodes()
    {
        using var scope = NewDisposeScope();
        using var p = new RandomProblem(1, m: 8, nI: 5, nS: 4, classes: 2, dim: 3);
        // Label count ≠ code columns.
        var e = Assert.Throws<ArgumentException>(() => DshSolvers.UpdateD(p.Problem, p.PhotoCodes[TensorIndex.Colon, TensorIndex.Slice(0, 4)], p.SketchCodes));
        Assert.Contains("5 photos", e.Message);
        // Code lengths disagree.
        Assert.Throws<ArgumentException>(() => DshSolvers.UpdateD(p.Problem, p.PhotoCodes, p.SketchCodes[TensorIndex.Slice(0, 7)]));
        // Not ±1.
        Tensor half = p.PhotoCodes.mul(0.5);
        Assert.Contains("−1 and +1", Assert.Throws<ArgumentException>(() => DshSolvers.UpdateD(p.Problem, half, p.SketchCodes)).Message);
        // D of the wrong shape.
        Assert.Contains("D must be [3, 8]", Assert.Throws<ArgumentException>(() =>
            DshSolvers.UpdatePhotoCodes(p.Problem, p.PhotoCodes, p.SketchCodes, p.D.T, p.PhotoOutputs)).Message);
        // NaN outputs.
        Tensor nan = p.PhotoOutputs.clone();
        nan[0, 0] = double.NaN;
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() =>
            DshSolvers.UpdatePhotoCodes(p.Problem, p.PhotoCodes, p.SketchCodes, p.D, nan)).Message);
        Assert.Throws<ArgumentException>(() => DshObjective.Evaluate(p.Problem, p.PhotoCodes, p.SketchCodes, p.D, nan, p.SketchOutputs));
    }

    [Fact]
    public void Options_AreValidated()
    {
        Assert.Contains("Lambda", Assert.Throws<ArgumentException>(() => new DshObjectiveOptions { Lambda = 0 }.Validated()).Message);
        Assert.Contains("Gamma", Assert.Throws<ArgumentException>(() => new DshObjectiveOptions { Gamma = -1 }.Validated()).Message);
        Assert.Contains("DRegularization", Assert.Throws<ArgumentException>(() => new DshObjectiveOptions { DRegularization = double.NaN }.Validated()).Message);
        Assert.Contains("MaxCodeSweeps", Assert.Throws<ArgumentException>(() => new DshObjectiveOptions { MaxCodeSweeps = 0 }.Validated()).Message);
        Assert.Contains("DissimilarPairTarget", Assert.Throws<ArgumentException>(() => new DshObjectiveOptions { DissimilarPairTarget = 0.5 }.Validated()).Message);
        Assert.Contains("DissimilarPairTarget", Assert.Throws<ArgumentException>(() => new DshObjectiveOptions { DissimilarPairTarget = -1.5 }.Validated()).Message);
        Assert.Contains("DissimilarPairTarget", Assert.Throws<ArgumentException>(() => new DshObjectiveOptions { DissimilarPairTarget = double.NaN }.Validated()).Message);
        var defaults = new DshObjectiveOptions();
        Assert.Equal((0.01, 0.0, 0.01, 3), (defaults.Lambda, defaults.Gamma, defaults.DRegularization, defaults.MaxCodeSweeps));
    }

    [Theory]
    [InlineData("paper", -1.0, "paper")]
    [InlineData("PAPER", -1.0, "paper")]
    [InlineData("simplex", null, "simplex")]
    [InlineData("-0.5", -0.5, "-0.5")]
    [InlineData("0", 0.0, "0")]
    public void DissimilarPairTarget_ParsesItsNamesAndNumbers(string text, double? expected, string shown)
    {
        Assert.True(DshObjectiveOptions.TryParseDissimilarPairTarget(text, out double? target));
        Assert.Equal(expected, target);
        Assert.Equal(shown, new DshObjectiveOptions { DissimilarPairTarget = target }.DissimilarPairTargetText);
    }

    [Theory]
    [InlineData("0.5")]
    [InlineData("-1.5")]
    [InlineData("NaN")]
    [InlineData("orthogonal")]
    [InlineData("")]
    public void DissimilarPairTarget_RefusesOtherText(string text) =>
        Assert.False(DshObjectiveOptions.TryParseDissimilarPairTarget(text, out _));

    [Fact]
    public void Losses_RejectMismatchedShapesAndEmptyBatches()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => DshObjective.RegressionLoss(torch.zeros(4, 8), torch.zeros(4, 16)));
        Assert.Throws<ArgumentException>(() => DshObjective.RegressionLoss(torch.zeros(0, 8), torch.zeros(0, 8)));
        Tensor nan = torch.ones(2, 8);
        nan[0, 0] = float.NaN;
        Assert.Throws<ArgumentException>(() => DshObjective.Quantization(torch.zeros(2, 8), nan));
    }
}
