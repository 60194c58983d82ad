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
    [InlineData("Epochs")]
    [InlineData("BatchSize")]
    [InlineData("LearningRate")]
    [InlineData("LearningRateDecay")]
    [InlineData("Momentum")]
    [InlineData("WeightDecay")]
    [InlineData("Threads")]
    [InlineData("CheckpointInterval")]
    [InlineData("Device")]
    [InlineData("SemanticVectorsPath")]
    [InlineData("InitialWeightsPath")]
    public void BadValues_AreRejectedByName(string field)
    {
        var o = new DshTrainerOptions { Architecture = DshArchitecture.Compact(64) }; // no ONNX file involved
        o = field switch
        {
            "Epochs" => o with { Epochs = 0 },
            "BatchSize" => o with { BatchSize = 0 },
            "LearningRate" => o with { LearningRate = double.NaN },
            "LearningRateDecay" => o with { LearningRateDecay = 1.5 },
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
