using Dsh.Imaging;
using Dsh.Model;
using Dsh.Pretrained;
using Dsh.Tests.Support;
using Dsh.Trunks;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Model;

/// <summary><see cref="DshArchitecture.ResNet18"/>: its fields, what <see cref="DshArchitecture.Validate"/> accepts and rejects, equality.</summary>
public class ResNet18ArchitectureTests
{
    [Fact]
    public void ResNet18_HasTheDocumentedFields()
    {
        var a = DshArchitecture.ResNet18(64);
        Assert.IsType<ResNet18TrunkSpec>(a.SketchTrunk);
        Assert.IsType<ResNet18TrunkSpec>(a.PhotoTrunk);
        Assert.Equal((64, 224, 224), (a.CodeLength, a.SketchInputSize, a.PhotoInputSize));
        Assert.Equal(ResNet18TrunkSpec.DefaultInputSize, a.SketchInputSize);
        Assert.Equal((3, 4), a.Frozen());
        Assert.Equal(new[] { 1024, 512 }, a.SketchHead.Widths);
        Assert.Equal(new[] { 1024, 512 }, a.FusionHead.Widths);
        Assert.Equal(DshInitialization.TorchDefault, a.Initialization);
        Assert.Equal(TokenBatchNorm.PerBranch, a.TokenBatchNorm);
        Assert.Equal(new FeatureShape(512, 1, 1), a.SketchTrunk.FeatureShape);
        Assert.Equal(new FeatureShape(512, 1, 1), a.PhotoTrunk.FeatureShape);
        Assert.Equal(512, a.SketchFeatureLength);
        Assert.Equal(1024, a.FusionInputLength);
        Assert.Equal(ImageNormalization.ResNet18Onnx, a.SketchInput.Normalization);
        Assert.Equal(ImageNormalization.ResNet18Onnx, a.PhotoInput.Normalization);
        Assert.Equal(DshImaging.SketchPadColor, a.SketchInput.PadColor);
        Assert.Equal(DshImaging.PhotoPadColor, a.PhotoInput.PadColor);
        Assert.True(a.MirrorPhotos); // photos encoded as they are and mirrored (measured on PACS)
    }

    [Fact]
    public void CaffeProfiles_KeepTheirTrunksAndNoFrozenStages()
    {
        foreach (var a in new[] { DshArchitecture.Paper(64), DshArchitecture.Compact(64) })
        {
            Assert.IsType<CaffeSketchTrunkSpec>(a.SketchTrunk);
            Assert.IsType<AlexNetPhotoTrunkSpec>(a.PhotoTrunk);
            Assert.Equal((0, 0), a.Frozen());
            Assert.Equal(ImageNormalization.Sketch, a.SketchInput.Normalization);
            Assert.Equal(ImageNormalization.Photo, a.PhotoInput.Normalization);
            Assert.False(a.MirrorPhotos);
        }
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(128)]
    [InlineData(33)]
    public void InputSizesFrom32_AreValid(int size)
    {
        var a = DshArchitecture.ResNet18(16).WithSizes(size, size);
        a.Validate();
        Assert.Same(a, a.Validated());
        (DshArchitecture.ResNet18(16).WithSizes(size, 224)).Validate(); // the sizes need not agree
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(4, 4)]
    [InlineData(1, 2)]
    public void AnyFrozenStagesFrom0To4_AreValid(int sketch, int photo) =>
        (DshArchitecture.ResNet18(16).WithFrozen(sketch, photo)).Validate();

    [Fact]
    public void BadFields_AreRejectedByName()
    {
        var r = DshArchitecture.ResNet18(16);
        static string Rejected(DshArchitecture a) => Assert.Throws<ArgumentException>(a.Validate).Message;
        static string? ParamName(DshArchitecture a) => Assert.Throws<ArgumentException>(a.Validate).ParamName;

        Assert.Contains("32", Rejected(r.WithSizes(31, 224)));
        Assert.Equal("SketchTrunk.InputSize", ParamName(r.WithSizes(31, 224)));
        Assert.Equal("PhotoTrunk.InputSize", ParamName(r.WithSizes(224, 31)));
        Assert.Contains("FrozenStages", Rejected(r.WithFrozen(-1, 4)));
        Assert.Equal("SketchTrunk.FrozenStages", ParamName(r.WithFrozen(5, 4)));
        Assert.Equal("PhotoTrunk.FrozenStages", ParamName(r.WithFrozen(3, -1)));
        Assert.Contains("FrozenStages", Rejected(r.WithFrozen(3, 5)));
        Assert.Equal("Initialization", ParamName(r with { Initialization = DshInitialization.PaperFillers }));
        Assert.Contains("Widths", Rejected(r with { SketchHead = r.SketchHead with { Widths = new[] { 1024 } } }));
        Assert.Contains("DropoutA", Rejected(r with { FusionHead = r.FusionHead with { DropoutA = new[] { 0.3, 1.0 } } }));
        Assert.Contains("SketchTrunk", Rejected(r with { SketchTrunk = null! }));
        Assert.Throws<ArgumentException>(() => DshArchitecture.ResNet18(7));
    }

    [Fact]
    public void MixedTrunks_MustEndOnTheSameSpatialSize()
    {
        // A ResNet-18 sketch trunk pools to 1×1; a compact AlexNet photo trunk ends at 3×3: the fusion head cannot
        // concatenate them, and the message says so.
        var mixed = DshArchitecture.Compact(16) with { SketchTrunk = new ResNet18TrunkSpec(), Initialization = DshInitialization.TorchDefault };
        Assert.Contains("concatenates", Assert.Throws<ArgumentException>(mixed.Validate).Message);
    }

    [Fact]
    public void Equality_IsByValue_SpecsIncluded()
    {
        var r = DshArchitecture.ResNet18(64);
        Assert.Equal(r, DshArchitecture.ResNet18(64));
        Assert.Equal(r.GetHashCode(), DshArchitecture.ResNet18(64).GetHashCode());
        Assert.NotEqual(r, DshArchitecture.ResNet18(32));
        Assert.NotEqual(r, DshArchitecture.Compact(64));
        Assert.NotEqual(r, r.WithFrozen(2, 4));
        Assert.NotEqual(r, r.WithFrozen(3, 3));
        Assert.NotEqual(r, r with { TokenBatchNorm = TokenBatchNorm.Shared });
        Assert.NotEqual(r, r.WithSizes(64, 224));
        Assert.NotEqual(r, r with { SketchHead = r.SketchHead with { Dropout = new[] { 0.25, 0.5 } } });
        Assert.Equal(r, r with { SketchHead = r.SketchHead with { Widths = new[] { 1024, 512 } } }); // a new list, the same values
        Assert.NotEqual(r.WithFrozen(2, 4).GetHashCode(), r.GetHashCode());
    }
}

/// <summary>The network the ResNet18 profile builds: trunks, keys, exact parameter counts, frozen stages.</summary>
public sealed class ResNet18NetworkStructureTests(ResNet18NetworkStructureTests.NetworkFixture fixture)
    : IClassFixture<ResNet18NetworkStructureTests.NetworkFixture>
{
    /// <summary>One default ResNet18(16) network (sketch frozen 3, photo frozen 4) for the read-only tests of the class.</summary>
    public sealed class NetworkFixture : IDisposable
    {
        public DshNetwork Network { get; } = new(DshArchitecture.ResNet18(16));

        public void Dispose() => Network.Dispose();
    }

    private DshNetwork Network => fixture.Network;

    private const long TrunkParameters = 15_897_152; // the shipped 2-2-2-3 layout (ResNet18ImportTests)

    private static long Fc(long cin, long cout) => cin * cout + cout;

    /// <summary>Batch-norm channels of the shipped trunk: stem 64, layer1 2×2×64, layer2 2×2×128 + 128, layer3 2×2×256 + 256, layer4 3×2×512 + 512.</summary>
    private const long BatchNormChannels = 64 + 4 * 64 + (4 * 128 + 128) + (4 * 256 + 256) + (6 * 512 + 512);

    private static long SketchHead(int k) => Fc(512, 1024) + Fc(1024, 512) + Fc(512, k);

    private static long Fusion(int k) => 2 * Fc(1024, 1024) + 2 * Fc(2048, 512) + Fc(1024, k);

    /// <summary>layer4 of the shipped trunk: 3 blocks of two 3×3 convolutions at 512 channels (the first from 256, stride 2, with a 1×1 projection).</summary>
    private const long Layer4Convolutions = 256 * 512 * 9 + 512 * 512 * 9 + 256 * 512 + 2 * 2 * 512 * 512 * 9;

    private static long Count(nn.Module m) => m.parameters().Sum(p => p.numel());

    [Fact]
    public void TrunksAreResNets_AndCaffeTrunksHaveNoPretrainedWeights()
    {
        Assert.IsType<ResNet18Trunk>(Network.ResNetSketchTrunk());
        Assert.Equal(ResNet18Trunk.ShippedBlocks, Network.ResNetSketchTrunk().BlocksPerStage);
        Assert.Equal(ResNet18Trunk.ShippedBlocks, Network.ResNetPhotoTrunk().BlocksPerStage);
        Assert.True(Network.ResNetSketchTrunk().HasTokenBranch);
        Assert.False(Network.ResNetPhotoTrunk().HasTokenBranch);
        Assert.NotSame(Network.ResNetSketchTrunk(), Network.ResNetPhotoTrunk());

        using var compact = new DshNetwork(DshArchitecture.Compact(16));
        Assert.IsType<CaffeSketchTrunk>(compact.SketchTrunk);
        Assert.IsType<AlexNetPhotoTrunk>(compact.PhotoTrunk);
        Assert.False(compact.Architecture.SketchTrunk.HasPretrainedWeights || compact.Architecture.PhotoTrunk.HasPretrainedWeights);
        using Tensor before = compact.SketchTrunk.parameters().First().clone();
        compact.LoadPretrainedWeights(); // nothing to load: the weights stay
        Assert.True(before.equal(compact.SketchTrunk.parameters().First()).all().item<bool>());
    }

    [Fact]
    public void BatchNormChannels_AreWhatTheImportTestCounts()
    {
        // ResNet18ImportTests: convolutions 15,885,504 + batch norm 2 × 5,824.
        Assert.Equal(5_824, BatchNormChannels);
        Assert.Equal(TrunkParameters, 15_885_504 + 2 * BatchNormChannels);
    }

    [Fact]
    public void ParameterCount_IsTheSumOfThePieces()
    {
        Assert.Equal(TrunkParameters + 2 * BatchNormChannels, Count(Network.ResNetSketchTrunk()));
        Assert.Equal(TrunkParameters, Count(Network.ResNetPhotoTrunk()));
        Assert.Equal(SketchHead(16), Count(Network.SketchHead));
        Assert.Equal(Fusion(16), Count(Network.FusionHead));
        long expected = 2 * TrunkParameters + 2 * BatchNormChannels + SketchHead(16) + Fusion(16);
        Assert.Equal(expected, Network.ParameterCount);
        Assert.Equal(37_078_048L, Network.ParameterCount);
    }

    [Theory]
    [InlineData(64)]
    [InlineData(128)]
    public void ParameterCount_OtherCodeLengths_AndSharedBatchNorm(int k)
    {
        // Sizes do not change the count (the pool is global); one network is enough per case.
        using var shared = new DshNetwork((DshArchitecture.ResNet18(k) with { TokenBatchNorm = TokenBatchNorm.Shared }).WithSizes(64));
        Assert.Equal(2 * TrunkParameters + SketchHead(k) + Fusion(k), shared.ParameterCount);
        Assert.False(shared.ResNetSketchTrunk().HasTokenBranch);
    }

    [Fact]
    public void StateDictKeys_HaveTheTokenBranchInTheSketchTrunkOnly()
    {
        var keys = Network.state_dict().Keys.ToHashSet();
        string[] expected =
        {
            "sketch_trunk.conv1.weight", "sketch_trunk.bn1.running_mean", "sketch_trunk.token_bn1.weight", "sketch_trunk.token_bn1.running_var",
            "sketch_trunk.layer1.0.token_bn1.weight", "sketch_trunk.layer1.1.token_bn2.bias",
            "sketch_trunk.layer2.0.downsample.0.weight", "sketch_trunk.layer2.0.token_downsample_bn.running_mean",
            "sketch_trunk.layer4.2.conv2.weight", "sketch_trunk.layer4.2.bn2.weight", "sketch_trunk.layer4.2.token_bn2.weight",
            "sketch_trunk.layer4.0.token_downsample_bn.bias",
            "photo_trunk.conv1.weight", "photo_trunk.layer4.2.bn2.bias", "photo_trunk.layer3.0.downsample.1.running_var",
            "sketch_head.fc_a.weight", "sketch_head.fc_code.bias", "fusion.fc_a.weight", "fusion.fc7.bias", "fusion.fc_code.weight",
        };
        foreach (string key in expected)
        {
            Assert.Contains(key, keys);
        }
        Assert.DoesNotContain(keys, k => k.StartsWith("photo_trunk.", StringComparison.Ordinal) && k.Contains("token", StringComparison.Ordinal));
        Assert.DoesNotContain(keys, k => k.Contains("sketch_bn", StringComparison.Ordinal) || k.Contains("fc.", StringComparison.Ordinal));
        Assert.DoesNotContain("sketch_trunk.layer1.0.token_downsample_bn.weight", keys); // layer1 has identity shortcuts
        Assert.DoesNotContain("sketch_trunk.layer4.1.token_downsample_bn.weight", keys);
        // Every batch norm of the sketch trunk has exactly one token twin.
        int sketchNorms = keys.Count(k => k.StartsWith("sketch_trunk.", StringComparison.Ordinal) && k.EndsWith("running_mean", StringComparison.Ordinal));
        int tokenNorms = keys.Count(k => k.StartsWith("sketch_trunk.", StringComparison.Ordinal) && k.Contains("token_", StringComparison.Ordinal) && k.EndsWith("running_mean", StringComparison.Ordinal));
        Assert.Equal(sketchNorms, 2 * tokenNorms);

        using var shared = new DshNetwork((DshArchitecture.ResNet18(16) with { TokenBatchNorm = TokenBatchNorm.Shared }).WithSizes(64));
        var sharedKeys = shared.state_dict().Keys.ToList();
        Assert.DoesNotContain(sharedKeys, k => k.Contains("token", StringComparison.Ordinal));
        Assert.Equal(keys.Where(k => !k.Contains("token", StringComparison.Ordinal)).Order(StringComparer.Ordinal), sharedKeys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TrainableParameters_AreLayer4OfTheSketchTrunkAndTheHeads()
    {
        long layer4 = Network.ResNetSketchTrunk().named_parameters().Where(p => p.name.StartsWith("layer4.", StringComparison.Ordinal)).Sum(p => p.parameter.numel());
        Assert.Equal(Layer4Convolutions + 2 * 2 * (6 * 512 + 512), layer4); // convolutions, then weight+bias of both branches' norms
        Assert.Equal(layer4 + SketchHead(16) + Fusion(16), Network.TrainableParameterCount);
        Assert.Equal(13_121_536L + 1_058_320L + 4_213_776L, Network.TrainableParameterCount);

        foreach (var (name, parameter) in Network.named_parameters())
        {
            bool learns = name.StartsWith("sketch_trunk.layer4.", StringComparison.Ordinal)
                || name.StartsWith("sketch_head.", StringComparison.Ordinal) || name.StartsWith("fusion.", StringComparison.Ordinal);
            Assert.True(learns == parameter.requires_grad, $"{name}: requires_grad {parameter.requires_grad}");
        }
        Assert.Equal(Network.TrainableParameters().Select(p => p.Handle), Network.parameters().Where(p => p.requires_grad).Select(p => p.Handle));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(2, 3)]
    [InlineData(4, 4)]
    public void FrozenStages_CountTheStemWithStage1(int sketchFrozen, int photoFrozen)
    {
        using var network = new DshNetwork(DshArchitecture.ResNet18(16).WithFrozen(sketchFrozen, photoFrozen).WithSizes(64));
        static bool Frozen(string trunkKey, int stages)
        {
            if (trunkKey.StartsWith("layer", StringComparison.Ordinal))
            {
                return trunkKey[5] - '0' <= stages;
            }
            return stages > 0; // conv1, bn1, token_bn1: the stem
        }
        long frozen = 0;
        foreach (var (name, parameter) in network.named_parameters())
        {
            bool expectFrozen =
                name.StartsWith("sketch_trunk.", StringComparison.Ordinal) ? Frozen(name["sketch_trunk.".Length..], sketchFrozen) :
                name.StartsWith("photo_trunk.", StringComparison.Ordinal) && Frozen(name["photo_trunk.".Length..], photoFrozen);
            Assert.True(expectFrozen != parameter.requires_grad, $"{name}: requires_grad {parameter.requires_grad}");
            frozen += expectFrozen ? parameter.numel() : 0;
        }
        Assert.Equal(network.ParameterCount - frozen, network.TrainableParameterCount);
        Assert.Equal(sketchFrozen > 0 || photoFrozen > 0, network.TrainableParameterCount < network.ParameterCount);
        if (sketchFrozen == 0 && photoFrozen == 0)
        {
            Assert.Equal(network.ParameterCount, network.TrainableParameterCount);
        }
    }

    [Fact]
    public void CaffeNetwork_HasEveryParameterTrainable()
    {
        using var compact = new DshNetwork(DshArchitecture.Compact(16));
        Assert.Equal(compact.ParameterCount, compact.TrainableParameterCount);
    }
}

/// <summary>What the frozen stages and the branch-aware batch norm of the ResNet18 profile do in training and in eval mode.</summary>
public class ResNet18NetworkBehaviourTests
{
    private const int Size = 64;

    private static DshNetwork Network(DshArchitecture? architecture = null)
    {
        torch.manual_seed(21);
        return new DshNetwork(architecture ?? DshArchitecture.ResNet18(16).WithSizes(Size, Size));
    }

    /// <summary>Images on the ResNet input scale (about ±128).</summary>
    private static Tensor Images(long n, int seed) =>
        torch.rand(new[] { n, 3L, Size, Size }, generator: new torch.Generator((ulong)seed)).mul(255).sub(120);

    private static bool HasGradient(Parameter p) => p.grad is not null && p.grad.abs().sum().item<float>() > 0;

    private static IEnumerable<(string Name, Parameter Parameter)> Named(DshNetwork network, string prefix) =>
        network.named_parameters().Where(p => p.name.StartsWith(prefix, StringComparison.Ordinal));

    [Fact]
    public void TrainingBackward_LeavesFrozenParametersWithoutGradients_AndReachesLayer4AndTheHeads()
    {
        using var network = Network();
        using var scope = NewDisposeScope();
        network.train();
        Tensor loss = network.ForwardSketch(Images(4, 1)).square().sum() + network.ForwardPhoto(Images(4, 2), Images(4, 3)).square().sum();
        loss.backward();

        foreach (var (name, parameter) in network.named_parameters())
        {
            if (parameter.requires_grad)
            {
                Assert.True(HasGradient(parameter), $"{name} got no gradient");
            }
            else
            {
                Assert.True(parameter.grad is null, $"frozen {name} has a gradient");
            }
        }
        Assert.Contains(Named(network, "sketch_trunk.layer4."), p => p.Name.Contains("token_", StringComparison.Ordinal));
    }

    [Fact]
    public void Layer4Convolutions_GetTheSumOfBothBranchesGradients_TokenNormsOnlyFromPhotos()
    {
        using var network = Network();
        using var scope = NewDisposeScope();
        network.train();
        Tensor sketches = Images(4, 4), photos = Images(4, 5), tokens = Images(4, 6);
        var layer4 = Named(network, "sketch_trunk.layer4.").ToList();
        var convs = layer4.Where(p => p.Name.Contains("conv", StringComparison.Ordinal) || p.Name.Contains("downsample.0", StringComparison.Ordinal)).ToList();
        var tokenNorms = layer4.Where(p => p.Name.Contains("token_", StringComparison.Ordinal)).ToList();
        var sketchNorms = layer4.Where(p => p.Name.Contains("bn", StringComparison.Ordinal) && !p.Name.Contains("token_", StringComparison.Ordinal)
                                            || p.Name.Contains("downsample.1", StringComparison.Ordinal)).ToList();
        Assert.Equal(3 * 2 + 1, convs.Count);
        Assert.Equal(2 * (3 * 2 + 1), tokenNorms.Count);
        Assert.Equal(tokenNorms.Count, sketchNorms.Count);

        static bool NoGradient(Parameter p) => p.grad is null || p.grad.abs().sum().item<float>() == 0;

        Dictionary<string, Tensor> Grad(bool sketch, bool photo)
        {
            network.zero_grad();
            Tensor loss = torch.zeros(1);
            if (sketch)
            {
                torch.manual_seed(7); // the same dropout masks in every call
                loss = loss + network.ForwardSketch(sketches).square().sum();
            }
            if (photo)
            {
                torch.manual_seed(8);
                loss = loss + network.ForwardPhoto(photos, tokens).square().sum();
            }
            loss.backward();
            if (!photo)
            {
                Assert.All(tokenNorms, p => Assert.True(NoGradient(p.Parameter), $"{p.Name} learns from sketches"));
            }
            if (!sketch)
            {
                Assert.All(sketchNorms, p => Assert.True(NoGradient(p.Parameter), $"{p.Name} learns from sketch-tokens"));
                Assert.All(Named(network, "sketch_head."), p => Assert.True(NoGradient(p.Parameter), $"{p.Name} learns from photos"));
            }
            else
            {
                Assert.All(sketchNorms, p => Assert.True(HasGradient(p.Parameter), $"{p.Name} gets nothing from sketches"));
            }
            if (photo)
            {
                Assert.All(tokenNorms, p => Assert.True(HasGradient(p.Parameter), $"{p.Name} gets nothing from sketch-tokens"));
            }
            return convs.ToDictionary(p => p.Name, p => p.Parameter.grad!.clone());
        }

        var fromSketch = Grad(true, false);
        var fromPhoto = Grad(false, true);
        var fromBoth = Grad(true, true);
        foreach (var (name, _) in convs)
        {
            Assert.True(fromSketch[name].abs().sum().item<float>() > 0, name);
            Assert.True(fromPhoto[name].abs().sum().item<float>() > 0, name);
            Tensor sum = fromSketch[name] + fromPhoto[name];
            double error = (fromBoth[name] - sum).abs().max().item<float>();
            double scale = sum.abs().max().item<float>();
            Assert.True(error <= 1e-4 * scale, $"{name}: |both − (sketch + photo)| = {error}, scale {scale}");
        }
    }

    [Fact]
    public void FrozenStageRunningStatistics_StayPut_InTrainingMode_WhileLearningOnesMove()
    {
        using var network = Network();
        using var scope = NewDisposeScope();
        network.train();
        Dictionary<string, Tensor> Buffers() => network.named_buffers().ToDictionary(b => b.name, b => b.buffer.clone());
        HashSet<string> Changed(Dictionary<string, Tensor> before) =>
            network.named_buffers().Where(b => !b.buffer.eq(before[b.name]).all().item<bool>()).Select(b => b.name).ToHashSet();

        var start = Buffers();
        network.ForwardSketch(Images(4, 9));
        var afterSketch = Changed(start);
        var expectedSketch = start.Keys.Where(k => k.StartsWith("sketch_trunk.layer4.", StringComparison.Ordinal) && !k.Contains("token_", StringComparison.Ordinal)).ToHashSet();
        Assert.Equal(3 * 2 * 3 + 3, expectedSketch.Count); // 7 norms × (mean, var, count)
        Assert.Equal(expectedSketch.Order(StringComparer.Ordinal), afterSketch.Order(StringComparer.Ordinal));

        var middle = Buffers();
        network.ForwardPhoto(Images(4, 10), Images(4, 11));
        var afterPhoto = Changed(middle);
        var expectedPhoto = start.Keys.Where(k => k.StartsWith("sketch_trunk.layer4.", StringComparison.Ordinal) && k.Contains("token_", StringComparison.Ordinal)).ToHashSet();
        Assert.Equal(expectedSketch.Count, expectedPhoto.Count);
        Assert.Equal(expectedPhoto.Order(StringComparer.Ordinal), afterPhoto.Order(StringComparer.Ordinal)); // the photo trunk is frozen entirely

        // The frozen modules run in eval mode for the call only: the network's modes are as they were.
        Assert.All(network.modules(), m => Assert.True(m.training));
    }

    [Fact]
    public void NothingFrozen_EveryNormMovesInTrainingMode()
    {
        using var network = Network(DshArchitecture.ResNet18(16).WithSizes(Size).WithFrozen(0, 0));
        using var scope = NewDisposeScope();
        network.train();
        var before = network.named_buffers().ToDictionary(b => b.name, b => b.buffer.clone());
        network.ForwardPhoto(Images(2, 12), Images(2, 13));
        foreach (var (name, buffer) in network.named_buffers())
        {
            bool used = name.StartsWith("photo_trunk.", StringComparison.Ordinal) || name.Contains("token_", StringComparison.Ordinal);
            Assert.True(used != buffer.eq(before[name]).all().item<bool>(), name);
        }
    }

    [Fact]
    public void EvalMode_IsDeterministic_AndEncodingIsBatchIndependent()
    {
        using var network = Network();
        using var scope = NewDisposeScope();
        Tensor sketches = Images(5, 14), photos = Images(5, 15), tokens = Images(5, 16);
        network.eval();
        Assert.True(network.ForwardSketch(sketches).eq(network.ForwardSketch(sketches)).all().item<bool>());
        Assert.True(network.ForwardPhoto(photos, tokens).eq(network.ForwardPhoto(photos, tokens)).all().item<bool>());

        network.train();
        Tensor s1 = network.EncodeSketch(sketches), s2 = network.EncodeSketch(sketches, batchSize: 2);
        Tensor p1 = network.EncodePhoto(photos, tokens), p2 = network.EncodePhoto(photos, tokens, batchSize: 3);
        Assert.True(network.training);
        Assert.All(network.modules(), m => Assert.True(m.training));
        Assert.False(s1.requires_grad);
        Assert.Equal(new long[] { 5, 16 }, s1.shape);
        Assert.True(s1.allclose(s2, rtol: 1e-4, atol: 1e-5));
        Assert.True(p1.allclose(p2, rtol: 1e-4, atol: 1e-5));
        Assert.True(s1.eq(network.EncodeSketch(sketches)).all().item<bool>());
        Assert.True(p1.eq(network.EncodePhoto(photos, tokens)).all().item<bool>());

        // The token branch is a different branch: with other statistics the same images give other outputs.
        network.eval();
        using (torch.no_grad())
        {
            network.ResNetSketchTrunk().Blocks[3][2].Norms(SketchBranch.Token).Bn2.running_mean!.add_(1);
            Tensor viaSketch = network.ResNetSketchTrunk().forward(sketches, SketchBranch.Sketch);
            Tensor viaToken = network.ResNetSketchTrunk().forward(sketches, SketchBranch.Token);
            Assert.False(viaSketch.allclose(viaToken));
        }
    }

    [Fact]
    public void Inputs_MustHaveTheProfilesSize()
    {
        using var network = Network();
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => network.ForwardSketch(torch.rand(2, 3, 96, 96)));
        Assert.Throws<ArgumentException>(() => network.EncodePhoto(torch.rand(2, 3, Size, Size), torch.rand(2, 3, 32, 32)));
    }
}
