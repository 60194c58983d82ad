using Dsh.Training;
namespace Dsh.Tests.Training;

public class DshTrainerOptionsTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        // The defaults are the resnet18 profile's (DshProfileTests); its ONNX file is in this project's output.
        var o = new DshTrainerOptions().Validated();
        Assert.Equal(64, o.Architecture.CodeLength);
        Assert.Equal("cpu", o.Device);
        Assert.Equal(64, new DshTrainerOptions { Architecture = DshArchitecture.Compact(64) }.Validated().Architecture.CodeLength); // no ONNX file needed
    }

    [Theory]
    [InlineData(84, 6)]   // full PACS: 6 epochs are 504 steps, above the minimum
    [InlineData(13, 20)]  // 60 sketches a category: ⌈250 / 13⌉
    [InlineData(7, 36)]   // 30 sketches a category
    [InlineData(250, 6)]
    public void SmallData_GetsEnoughSteps_WithTheResNet18Profile(int stepsPerEpoch, int epochs)
    {
        var o = new DshTrainerOptions();
        Assert.Equal(250, o.EffectiveMinimumSteps);
        Assert.Equal(epochs, o.EpochsFor(stepsPerEpoch));
        Assert.Equal(6, (o with { MinimumSteps = 0 }).EpochsFor(stepsPerEpoch));
        Assert.Equal(6, new DshTrainerOptions { Architecture = DshArchitecture.Compact(64) }.EpochsFor(stepsPerEpoch)); // from scratch: off
        Assert.Equal(Math.Max(6, (1000 + stepsPerEpoch - 1) / stepsPerEpoch), (o with { MinimumSteps = 1000 }).EpochsFor(stepsPerEpoch));
    }

    [Fact]
    public void ClassVectors_DefaultToTheBuiltInWordNet_AndTheOlderSpellingsStillChoose()
    {
        Assert.Equal("wordnet", new DshTrainerOptions().EffectiveClassVectors);
        Assert.Equal("onehot", new DshTrainerOptions { UseWordNet = false }.EffectiveClassVectors);
        Assert.Equal("onehot", new DshTrainerOptions { UseWordNet = true, ClassVectors = "onehot" }.EffectiveClassVectors);
        var compact = new DshTrainerOptions { Architecture = DshArchitecture.Compact(64) };
        foreach (string ok in new[] { "wordnet", "onehot", "one-hot", "wordnet:" + Path.GetTempPath() })
        {
            (compact with { ClassVectors = ok }).Validated();
        }
        var e = Assert.Throws<ArgumentException>(() => (compact with { ClassVectors = "wordnet:/no/such/dir" }).Validated());
        Assert.Contains("does not exist", e.Message);
        Assert.Throws<ArgumentException>(() => (compact with { ClassVectors = "  " }).Validated());
    }

    [Theory]
    [InlineData("Epochs")]
    [InlineData("BatchSize")]
    [InlineData("LearningRate")]
    [InlineData("LearningRateDecay")]
    [InlineData("LearningRateSchedule")]
    [InlineData("FrozenStageCachePrecision")]
    [InlineData("FrozenStageCacheVariants")]
    [InlineData("Momentum")]
    [InlineData("WeightDecay")]
    [InlineData("Threads")]
    [InlineData("CheckpointInterval")]
    [InlineData("Device")]
    [InlineData("SemanticVectorsPath")]
    [InlineData("InitialWeightsPath")]
    [InlineData("MinimumSteps")]
    [InlineData("ClassVectors")]
    [InlineData("SmallPhotoSide")]
    public void BadValues_AreRejectedByName(string field)
    {
        var o = new DshTrainerOptions { Architecture = DshArchitecture.Compact(64) }; // no ONNX file involved
        o = field switch
        {
            "Epochs" => o with { Epochs = 0 },
            "MinimumSteps" => o with { MinimumSteps = -1 },
            "SmallPhotoSide" => o with { SmallPhotoSide = -1 },
            "ClassVectors" => o with { ClassVectors = "/no/such/vectors.txt" },
            "BatchSize" => o with { BatchSize = 0 },
            "LearningRate" => o with { LearningRate = double.NaN },
            "LearningRateDecay" => o with { LearningRateDecay = 1.5 },
            "LearningRateSchedule" => o with { LearningRateSchedule = (LearningRateSchedule)7 },
            "FrozenStageCachePrecision" => o with { FrozenStageCachePrecision = (CachePrecision)3 },
            "FrozenStageCacheVariants" => o with { FrozenStageCacheVariants = 17 },
            "Momentum" => o with { Momentum = 1 },
            "WeightDecay" => o with { WeightDecay = -1 },
            "Threads" => o with { Threads = -2 },
            "CheckpointInterval" => o with { CheckpointInterval = -1 },
            "Device" => o with { Device = "tpu" },
            "SemanticVectorsPath" => o with { SemanticVectorsPath = "/nonexistent/vectors.bin" },
            _ => o with { InitialWeightsPath = "/nonexistent/w.dat" },
        };
        var e = Assert.Throws<ArgumentException>(() => new DshTrainer(o));
        Assert.Contains(field, e.Message);
    }

    [Fact]
    public void BadArchitecture_IsRejected() =>
        Assert.Throws<ArgumentException>(() => new DshTrainer(new DshTrainerOptions { Architecture = DshArchitecture.Compact(64) with { CodeLength = 4 } }));

    [Fact]
    public void CudaWithoutCuda_SaysSo()
    {
        if (TorchSharp.torch.cuda.is_available())
        {
            return;
        }
        var e = Assert.Throws<InvalidOperationException>(() => TrainingFixtures.Fit(TrainingFixtures.Options() with { Device = "cuda" }, TrainingFixtures.Data()));
        Assert.Contains("CUDA is not available", e.Message);
    }
}
