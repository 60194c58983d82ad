using Dsh.Objective;
using Dsh.Tests.Support;
using Dsh.Tests.Training;
using Dsh.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Objective;

/// <summary>
/// <see cref="ClassCodeTerm"/> against hand-computed cases, its input checks, and its option in training: off by
/// default, validated by name, changing the trained weights when on, stored in checkpoints.
/// </summary>
public sealed class ClassCodeTermTests : IDisposable
{
    private readonly TempFolder _dir = new("dsh-class-code-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ClassCodes_AreTheBitwiseMajorityOfEachClasssPhotos()
    {
        using var scope = NewDisposeScope();
        // columns: photos 0 … 4; classes 0, 0, 1, 1, 1; class 2 has no photos
        Tensor codes = tensor(new float[,]
        {
            { 1, 1, -1, -1, 1 },
            { 1, -1, -1, 1, 1 },
            { -1, -1, 1, 1, 1 },
        });
        float[] classCodes = ClassCodeTerm.ClassCodes(codes, [0, 0, 1, 1, 1], 3).data<float>().ToArray();
        Assert.Equal(new float[]
        {
            1, 0, -1,  // class 0: (1, 1, −1) and (1, −1, −1): the second bit is split
            -1, 1, 1,  // class 1: majority of three
            0, 0, 0,   // class 2: no photos
        }, classCodes);
    }

    [Fact]
    public void Loss_IsTheCrossEntropyOfTheScaledInnerProducts()
    {
        using var scope = NewDisposeScope();
        Tensor outputs = tensor(new float[,] { { 1, 0.5f, -1 }, { -0.5f, -0.5f, 0 } });
        Tensor classCodes = tensor(new float[,] { { 1, 1, -1 }, { -1, -1, 1 } });
        // logits = 6 · f · c / 3: item 0 (class 0) 5 and −5; item 1 (class 1) −2 and 2
        double item0 = Math.Log(1 + Math.Exp(-10)), item1 = Math.Log(1 + Math.Exp(-4));
        double loss = ClassCodeTerm.Loss(outputs, classCodes, [0, 1], scale: 6).item<float>();
        Assert.Equal((item0 + item1) / 2, loss, 6);
        // the wrong labels cost the complement
        double wrong = ClassCodeTerm.Loss(outputs, classCodes, [1, 0], scale: 6).item<float>();
        Assert.Equal((Math.Log(1 + Math.Exp(10)) + Math.Log(1 + Math.Exp(4))) / 2, wrong, 4);
    }

    [Fact]
    public void BadInputs_AreRefused()
    {
        using var scope = NewDisposeScope();
        Tensor codes = ones(3, 4);
        Assert.Throws<ArgumentException>(() => ClassCodeTerm.ClassCodes(codes, [0, 1, 2], 3));  // 4 photos, 3 labels
        Assert.Throws<ArgumentException>(() => ClassCodeTerm.ClassCodes(codes, [0, 1, 2, 3], 3)); // label 3 of 3 classes
        Assert.Throws<ArgumentException>(() => ClassCodeTerm.ClassCodes(codes, [0, -1, 2, 0], 3));
        Tensor outputs = ones(2, 3), classCodes = ones(4, 3);
        Assert.Throws<ArgumentException>(() => ClassCodeTerm.Loss(outputs, classCodes, [0], 1));        // 2 outputs, 1 label
        Assert.Throws<ArgumentException>(() => ClassCodeTerm.Loss(outputs, classCodes, [0, 4], 1));     // label 4 of 4 classes
        Assert.Throws<ArgumentException>(() => ClassCodeTerm.Loss(outputs, ones(4, 5), [0, 1], 1));     // K differs
        Assert.Throws<ArgumentException>(() => ClassCodeTerm.Loss(outputs, classCodes, [0, 1], 0));
        Assert.Throws<ArgumentException>(() => ClassCodeTerm.Loss(outputs, classCodes, [0, 1], double.NaN));
    }

    [Theory]
    [InlineData(nameof(DshTrainerOptions.ClassCodeWeight), -0.1)]
    [InlineData(nameof(DshTrainerOptions.ClassCodeWeight), 100.5)]
    [InlineData(nameof(DshTrainerOptions.ClassCodeWeight), double.NaN)]
    [InlineData(nameof(DshTrainerOptions.ClassCodeScale), 0)]
    [InlineData(nameof(DshTrainerOptions.ClassCodeScale), double.PositiveInfinity)]
    public void BadOptions_AreRejectedByName(string name, double value)
    {
        var options = name == nameof(DshTrainerOptions.ClassCodeWeight)
            ? TrainingFixtures.Options() with { ClassCodeWeight = value }
            : TrainingFixtures.Options() with { ClassCodeScale = value };
        Assert.Contains(name, Assert.Throws<ArgumentException>(() => options.Validated()).Message);
    }

    [Fact]
    public void Training_WithTheTerm_LearnsOtherWeights_AndAResumeUnderAnotherWeightIsRefused()
    {
        var data = TrainingFixtures.Data();
        Dictionary<string, double[]> Train(double weight, string? checkpoints = null)
        {
            using DshModel model = TrainingFixtures.Fit(TrainingFixtures.Options(checkpoints, epochs: 1) with { ClassCodeWeight = weight }, data);
            Assert.Equal(weight, model.TrainingOptions!.ClassCodeWeight);
            Assert.True(double.IsFinite(model.Summary.FinalBatchLoss));
            return TrainingFixtures.Weights(model);
        }
        var off = Train(0);
        var offAgain = Train(0);
        var on = Train(1, _dir.Path);
        double Difference(Dictionary<string, double[]> a, Dictionary<string, double[]> b) =>
            a.Max(kv => kv.Value.Zip(b[kv.Key], (x, y) => Math.Abs(x - y)).DefaultIfEmpty(0).Max());
        Assert.Equal(0, Difference(off, offAgain));
        Assert.True(Difference(off, on) > 1e-5, "the term changes nothing");

        Assert.Contains(nameof(DshTrainerOptions.ClassCodeWeight), Assert.Throws<InvalidOperationException>(() =>
            TrainingFixtures.Fit(TrainingFixtures.Options(_dir.Path, epochs: 2) with { ClassCodeWeight = 2 }, data)).Message);

        using var classVectors = eye(3, dtype: ScalarType.Float64);
        var plain = TrainingRunSettings.From(TrainingFixtures.Options(), classVectors, "contour");
        var weighted = TrainingRunSettings.From(TrainingFixtures.Options() with { ClassCodeWeight = 1 }, classVectors, "contour");
        Assert.Equal(new[] { nameof(DshTrainerOptions.ClassCodeWeight) }, plain.Differences(weighted));
        // a checkpoint written before the term existed trained without it
        Assert.Empty(plain.Differences(TrainingFixtures.WithoutField(plain, nameof(DshTrainerOptions.ClassCodeWeight))));
        Assert.Empty(plain.Differences(TrainingFixtures.WithoutField(plain, nameof(DshTrainerOptions.ClassCodeScale))));
    }

    [Fact]
    public void TheTermIsOff_ByDefault_ForEveryProfile()
    {
        Assert.All(DshProfile.All, p => Assert.Equal(0, p.TrainerOptions().ClassCodeWeight));
        Assert.Equal(0, new DshTrainerOptions().ClassCodeWeight);
    }
}
