using Dsh.Imaging;
using Dsh.Pretrained;
using Dsh.Tests.Support;
using Dsh.Training;
using Dsh.Trunks;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Pretrained;

/// <summary>
/// <see cref="DshNetwork.LoadImageNetWeights"/>: both trunks of the ResNet18 profile hold the ONNX model's weights, take
/// RGB inputs normalised with <see cref="ImageNormalization.ResNet18Onnx"/> where the imported trunk takes BGR, and the
/// sketch trunk's token branch starts as a copy of its sketch branch.
/// </summary>
public sealed class ResNet18ImageNetWeightsTests(ResNet18ImageNetWeightsTests.LoadedFixture fixture)
    : IClassFixture<ResNet18ImageNetWeightsTests.LoadedFixture>
{
    /// <summary>A ResNet18(16) network with the ImageNet weights and the imported reference trunk, both in eval mode.</summary>
    public sealed class LoadedFixture : IDisposable
    {
        public LoadedFixture()
        {
            torch.manual_seed(1);
            Network = new DshNetwork(DshArchitecture.ResNet18(16).WithSizes(96, 96));
            Network.LoadPretrainedWeights();
            Network.eval();
            Reference = ResNet18Onnx.Import();
            Reference.eval();
        }

        public DshNetwork Network { get; }

        public ResNet18Trunk Reference { get; }

        public void Dispose()
        {
            Network.Dispose();
            Reference.Dispose();
        }
    }

    private DshNetwork Network => fixture.Network;

    /// <summary>Shape photos (distinct colours per channel, so a channel swap shows) as the network's input: RGB, 0–255 minus the means.</summary>
    private static Tensor Batch(int n, int size, int seed)
    {
        var random = new Random(seed);
        var images = Enumerable.Range(0, n).Select(i => ShapeImages.Photo(ShapeImages.Categories[i % 4], size, random)).ToList();
        try
        {
            return DshImaging.ToTensor(images, new ImageInputSpec(size, DshImaging.PhotoPadColor, ImageNormalization.ResNet18Onnx));
        }
        finally
        {
            images.ForEach(i => i.Dispose());
        }
    }

    private static void AssertClose(Tensor expected, Tensor actual, double relative, string what)
    {
        double error = (expected - actual).abs().max().item<float>();
        double scale = expected.abs().max().item<float>();
        Assert.True(scale > 0, what);
        Assert.True(error <= relative * scale, $"{what}: max |Δ| {error}, max |expected| {scale}");
    }

    [Theory]
    [InlineData(96)]
    [InlineData(224)]
    public void SketchTrunk_OnRgb_EqualsTheImportedTrunk_OnBgr(int size)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor x = Batch(3, size, 1);
        Tensor expected = fixture.Reference.forward(x.flip(1));
        Tensor sketch = Network.ResNetSketchTrunk().forward(x, SketchBranch.Sketch);
        AssertClose(expected, sketch, 1e-4, "sketch branch");
        AssertClose(expected, Network.ResNetPhotoTrunk().forward(x), 1e-4, "photo trunk");

        // Right after loading, the token branch is the sketch branch.
        Tensor token = Network.ResNetSketchTrunk().forward(x, SketchBranch.Token);
        Assert.True(token.eq(sketch).all().item<bool>());

        // Without the flip the features differ clearly: the channel order matters.
        Tensor swapped = fixture.Reference.forward(x);
        Assert.False(swapped.allclose(expected, rtol: 1e-2, atol: 1e-2));
    }

    [Fact]
    public void BothBatchNormSets_AndBothTrunks_HoldTheFilesValues()
    {
        var reference = fixture.Reference.state_dict();
        var sketch = Network.ResNetSketchTrunk().state_dict();
        var photo = Network.ResNetPhotoTrunk().state_dict();
        static string Twin(string key) =>
            key.StartsWith("bn1.", StringComparison.Ordinal) ? "token_" + key :
            key.Replace(".bn1.", ".token_bn1.", StringComparison.Ordinal).Replace(".bn2.", ".token_bn2.", StringComparison.Ordinal)
               .Replace(".downsample.1.", ".token_downsample_bn.", StringComparison.Ordinal);
        int twins = 0;
        foreach (var (key, value) in reference)
        {
            if (key.EndsWith("num_batches_tracked", StringComparison.Ordinal))
            {
                continue;
            }
            Tensor expected = key == "conv1.weight" ? value.flip(1) : value; // B, G, R → R, G, B
            Assert.True(expected.eq(sketch[key]).all().item<bool>(), "sketch_trunk." + key);
            Assert.True(expected.eq(photo[key]).all().item<bool>(), "photo_trunk." + key);
            string twin = Twin(key);
            if (twin != key)
            {
                Assert.True(value.eq(sketch[twin]).all().item<bool>(), "sketch_trunk." + twin);
                twins++;
            }
        }
        Assert.Equal(22 * 4, twins); // 22 batch norms × weight, bias, mean, variance
        Assert.Equal(1e-5, Network.ResNetSketchTrunk().TokenBn1!.eps, 1e-12);
    }

    [Fact]
    public void WeightsLoad_WithoutTouchingTheHeadsOrTheFreezing()
    {
        torch.manual_seed(1);
        using var fresh = new DshNetwork(DshArchitecture.ResNet18(16).WithSizes(96, 96));
        var heads = fresh.named_parameters().Where(p => !p.name.Contains("_trunk.", StringComparison.Ordinal)).ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in Network.named_parameters())
        {
            Assert.Equal(fresh.named_parameters().Single(p => p.name == name).parameter.requires_grad, parameter.requires_grad);
            if (heads.TryGetValue(name, out var head))
            {
                Assert.True(head.eq(parameter).all().item<bool>(), name); // same seed, same heads
            }
        }
        Assert.Equal(fresh.TrainableParameterCount, Network.TrainableParameterCount);
    }

    [Fact]
    public void MissingFile_NamesTheNuGetPackage()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"dsh-missing-{Guid.NewGuid():N}", "ResNet18.onnx");
        using (var network = new DshNetwork(DshArchitecture.ResNet18(16).WithSizes(32, 32)))
        {
            var e = Assert.Throws<FileNotFoundException>(() => network.LoadPretrainedWeights(missing));
            Assert.Contains(ResNet18Onnx.PackageId, e.Message);
            Assert.Contains("Microsoft.ML.DnnImageFeaturizer.ResNet18", e.Message);
        }

        var options = new DshTrainerOptions { Architecture = DshArchitecture.ResNet18(64), ImageNetWeightsPath = missing };
        var fromOptions = Assert.Throws<FileNotFoundException>(() => options.Validated());
        Assert.Contains("Microsoft.ML.DnnImageFeaturizer.ResNet18", fromOptions.Message);
        Assert.Contains(missing, fromOptions.Message);
        Assert.Contains("DshArchitecture.Compact(64)", fromOptions.Message); // how to train without the file
        Assert.Contains("DshProfile.Compact", fromOptions.Message);
        Assert.Equal(missing, fromOptions.FileName);
        Assert.Throws<FileNotFoundException>(() => new DshTrainer(options));

        // The default path (the package is referenced here) is fine, and the Caffe backbone ignores the setting.
        Assert.Null(new DshTrainerOptions { Architecture = DshArchitecture.ResNet18(64) }.Validated().ImageNetWeightsPath);
        new DshTrainerOptions { Architecture = DshArchitecture.Compact(64), ImageNetWeightsPath = missing }.Validated();
        Assert.True(new DshTrainerOptions().CacheFrozenStages);
    }

    [Fact]
    public void AFileThatIsNotOnnx_IsInvalidData()
    {
        using var file = new TempFile(".onnx");
        File.WriteAllText(file.Path, "not an onnx model");
        using var network = new DshNetwork(DshArchitecture.ResNet18(16).WithSizes(32, 32));
        Assert.Throws<InvalidDataException>(() => network.LoadPretrainedWeights(file.Path));
    }

    [Fact]
    public void ResNet18OnnxNormalization_IsPixelsMinusTheChannelMeans()
    {
        using var scope = NewDisposeScope();
        using var image = new Image<Rgb24>(4, 4, new Rgb24(255, 0, 128));
        Tensor x = DshImaging.ToTensor([image], new ImageInputSpec(4, DshImaging.PhotoPadColor, ImageNormalization.ResNet18Onnx));
        float[] values = x.data<float>().ToArray();
        Assert.Equal(255 - 123.15, values[0], 3);
        Assert.Equal(0 - 115.90, values[16], 3);
        Assert.Equal(128 - 103.06, values[32], 3);
    }
}
