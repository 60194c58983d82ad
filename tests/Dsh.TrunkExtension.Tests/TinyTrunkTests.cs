using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using System.Text.Json;
using System.Text;
using Dsh.Imaging;
using Dsh.Model;
using Dsh.Trunks;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.TrunkExtension.Tests;

/// <summary>
/// A backbone defined outside the library (<see cref="TinyTrunkSpec"/>, one file) trains, saves, loads and encodes
/// through the public API exactly like the built-in ones.
/// </summary>
public sealed class TinyTrunkTests(TinyTrunkModelFixture fixture) : IClassFixture<TinyTrunkModelFixture>
{
    [Fact]
    public void LoadedModel_HasAnEqualArchitecture_TrunkSpecsIncluded()
    {
        DshArchitecture trained = fixture.Trained.Architecture, loaded = fixture.Loaded.Architecture;
        Assert.Equal(fixture.Options.Architecture, trained);
        Assert.Equal(trained, loaded);
        Assert.NotSame(trained, loaded);
        var sketch = Assert.IsType<TinyTrunkSpec>(loaded.SketchTrunk);
        var photo = Assert.IsType<TinyTrunkSpec>(loaded.PhotoTrunk);
        Assert.Equal((32, 8, 2, 1e-5), (sketch.InputSize, sketch.Channels, sketch.PooledSide, sketch.BatchNormEpsilon));
        Assert.Equal((40, 6, 2, 1e-4), (photo.InputSize, photo.Channels, photo.PooledSide, photo.BatchNormEpsilon));
        Assert.Equal(fixture.Options.Architecture, fixture.Loaded.TrainingOptions?.Architecture);
        Assert.True(Assert.IsType<TinyTrunk>(fixture.Loaded.Network.SketchTrunk).HasTokenBatchNorm);
        Assert.False(Assert.IsType<TinyTrunk>(fixture.Loaded.Network.PhotoTrunk).HasTokenBatchNorm);
        Assert.Equal(fixture.Trained.Categories, fixture.Loaded.Categories);
    }

    [Fact]
    public void Codes_OfTheSameFiles_AreEqualBeforeAndAfterLoad()
    {
        Assert.Equal(fixture.SketchFiles.Count, fixture.SketchCodesBefore.Count);
        Assert.Equal(fixture.PhotoFiles.Count, fixture.PhotoCodesBefore.Count);
        Assert.All(fixture.SketchCodesBefore.Concat(fixture.PhotoCodesBefore), code => Assert.Equal(16, code.CodeLength));
        Assert.Equal(fixture.SketchCodesBefore, fixture.Loaded.EncodeSketches(fixture.SketchFiles));
        Assert.Equal(fixture.PhotoCodesBefore, fixture.Loaded.EncodePhotos(fixture.PhotoFiles));
        // One by one too (another batch composition: eval-mode batch norm makes it the same).
        Assert.Equal(fixture.SketchCodesBefore[0], fixture.Loaded.EncodeSketch(fixture.SketchFiles[0]));
        Assert.Equal(fixture.PhotoCodesBefore[^1], fixture.Loaded.EncodePhoto(fixture.PhotoFiles[^1]));
    }

    [Fact]
    public void Training_ChangedTheWeights_AndTheLoadedWeightsAreTheTrainedOnes()
    {
        Assert.Equal(2, fixture.Trained.Summary.Epochs);
        Assert.True(double.IsFinite(fixture.Trained.Summary.FinalBatchLoss));
        var trained = fixture.Trained.Network.state_dict();
        var loaded = fixture.Loaded.Network.state_dict();
        Assert.Equal(trained.Keys, loaded.Keys);
        Assert.All(trained, kv => Assert.True(kv.Value.equal(loaded[kv.Key]).all().item<bool>(), kv.Key));
        // The batch norms of both branches saw data: their statistics left their initial values.
        Assert.True(trained["sketch_trunk.sketch_bn.num_batches_tracked"].item<long>() > 0);
        Assert.True(trained["sketch_trunk.token_bn.num_batches_tracked"].item<long>() > 0);
        Assert.True(trained["photo_trunk.sketch_bn.num_batches_tracked"].item<long>() > 0);
    }

    [Fact]
    public void StateDict_HasTheTinyTrunksKeys_UnderSketchTrunkAndPhotoTrunk()
    {
        string[] keys = fixture.Loaded.Network.state_dict().Keys.ToArray();
        string[] batchNorm = ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"];
        string[] sketchTrunk = ["conv.weight", "conv.bias", .. batchNorm.Select(k => "sketch_bn." + k), .. batchNorm.Select(k => "token_bn." + k)];
        string[] photoTrunk = ["conv.weight", "conv.bias", .. batchNorm.Select(k => "sketch_bn." + k)];
        // TorchSharp lists parameters before buffers; compare the keys as sets.
        Assert.Equal(sketchTrunk.Select(k => "sketch_trunk." + k).Order(StringComparer.Ordinal),
            keys.Where(k => k.StartsWith("sketch_trunk.", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal(photoTrunk.Select(k => "photo_trunk." + k).Order(StringComparer.Ordinal),
            keys.Where(k => k.StartsWith("photo_trunk.", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal(new long[] { 8, 3, 3, 3 }, fixture.Loaded.Network.state_dict()["sketch_trunk.conv.weight"].shape);
        Assert.Equal(new long[] { 6, 3, 3, 3 }, fixture.Loaded.Network.state_dict()["photo_trunk.conv.weight"].shape);
    }

    [Theory]
    [InlineData(TokenBatchNorm.PerBranch)]
    [InlineData(TokenBatchNorm.Shared)]
    public void ParameterCount_FromTheSpecs_EqualsTheBuiltNetworks(TokenBatchNorm tokenBatchNorm)
    {
        DshArchitecture architecture = TinyTrunkModelFixture.Architecture(24, tokenBatchNorm);
        using var network = new DshNetwork(architecture);
        Assert.Equal(network.ParameterCount, architecture.ParameterCount);
        long stateBytes = network.state_dict().Values.Sum(t => t.numel() * t.element_size());
        Assert.Equal(stateBytes, architecture.StateByteCount);
        Assert.Equal(tokenBatchNorm == TokenBatchNorm.PerBranch, ((TinyTrunk)network.SketchTrunk).HasTokenBatchNorm);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void StateLayout_IsTheBuiltModulesStateDict(bool tokenBranch)
    {
        // The same entries (name, shape, element type, parameter or not); TorchSharp's state_dict lists parameters
        // before buffers, the spec lists them module by module, so they are compared by name.
        var spec = new TinyTrunkSpec { InputSize = 20, Channels = 5, PooledSide = 3 };
        using DshTrunk trunk = spec.Build(tokenBranch);
        var parameters = trunk.named_parameters().Select(p => p.name).ToHashSet();
        Dictionary<string, Tensor> state = trunk.state_dict();
        IReadOnlyList<StateEntry> layout = spec.StateLayout(tokenBranch);
        Assert.Equal(state.Keys.Order(StringComparer.Ordinal), layout.Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(tokenBranch ? 12 : 7, layout.Count);
        foreach (StateEntry entry in layout)
        {
            Assert.Equal(entry.Shape, state[entry.Name].shape);
            Assert.Equal(entry.ElementType, state[entry.Name].dtype);
            Assert.Equal(entry.IsParameter, parameters.Contains(entry.Name));
        }
    }

    [Fact]
    public void Trunk_MakesItsFeatureShape_OnEachBranch()
    {
        var spec = new TinyTrunkSpec { InputSize = 20, Channels = 5, PooledSide = 3 };
        using DshTrunk trunk = spec.Build(tokenBranch: true);
        trunk.eval();
        using var images = randn(2, 3, 20, 20);
        foreach (SketchBranch branch in Enum.GetValues<SketchBranch>())
        {
            using Tensor features = trunk.forward(images, branch);
            Assert.Equal(new long[] { 2, spec.FeatureShape.Channels, spec.FeatureShape.Height, spec.FeatureShape.Width }, features.shape);
        }
        Assert.False(trunk.HasFrozenPart);
    }

    [Fact]
    public void SavedModelFile_HeaderNamesTheTinyKind()
    {
        // The container (docs/training.md, "The model file"): "DSHM", format version (u16), file kind (u16), JSON header
        // (i32 length + UTF-8), weights, checksum. There is no public API that reads the header alone.
        byte[] file = File.ReadAllBytes(fixture.ModelPath);
        Assert.Equal("DSHM"u8.ToArray(), file[..4]);
        int length = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(8, 4));
        using JsonDocument header = JsonDocument.Parse(Encoding.UTF8.GetString(file, 12, length));
        JsonElement architecture = header.RootElement.GetProperty("Architecture");
        foreach (JsonElement a in new[] { architecture, header.RootElement.GetProperty("TrainingOptions").GetProperty("Architecture") })
        {
            JsonElement sketch = a.GetProperty("SketchTrunk"), photo = a.GetProperty("PhotoTrunk");
            Assert.Equal(TinyTrunkSpec.KindName, sketch.GetProperty("Kind").GetString());
            Assert.Equal(TinyTrunkSpec.KindName, photo.GetProperty("Kind").GetString());
            Assert.Equal(8, sketch.GetProperty("Channels").GetInt32());
            Assert.Equal(40, photo.GetProperty("InputSize").GetInt32());
            // Computed members are not stored.
            Assert.False(sketch.TryGetProperty("ConvSide", out _));
            Assert.False(sketch.TryGetProperty("FeatureShape", out _));
            Assert.False(sketch.TryGetProperty("Normalization", out _));
        }
    }

    [Fact]
    public void Architecture_RoundTripsThroughPlainSystemTextJson()
    {
        DshArchitecture architecture = TinyTrunkModelFixture.Architecture(32, TokenBatchNorm.Shared);
        string json = JsonSerializer.Serialize(architecture);
        Assert.Contains("\"tiny-test\"", json, StringComparison.Ordinal);
        Assert.Equal(architecture, JsonSerializer.Deserialize<DshArchitecture>(json));
        var enumsByName = new JsonSerializerOptions { Converters = { new JsonStringEnumConverter() } };
        Assert.Equal(architecture, JsonSerializer.Deserialize<DshArchitecture>(JsonSerializer.Serialize(architecture, enumsByName), enumsByName));
    }

    [Fact]
    public void Register_IsIdempotent_AndNoOtherTypeCanTakeTheKind()
    {
        TrunkSpecs.Register<TinyTrunkSpec>();
        TrunkSpecs.Register<TinyTrunkSpec>();
        Assert.Equal(typeof(TinyTrunkSpec), TrunkSpecs.Find(TinyTrunkSpec.KindName));
        Assert.Single(TrunkSpecs.Kinds, k => k == TinyTrunkSpec.KindName);
        Assert.Contains("caffe-sketch", TrunkSpecs.Kinds);
        var e = Assert.Throws<ArgumentException>(() => TrunkSpecs.Register<ImpostorTrunkSpec>());
        Assert.Contains("'tiny-test'", e.Message, StringComparison.Ordinal);
        Assert.Equal(typeof(TinyTrunkSpec), TrunkSpecs.Find(TinyTrunkSpec.KindName));
    }

    [Fact]
    public void Inputs_UseTheTrunksOwnNormalisation_AndTheRolesPadding()
    {
        DshArchitecture architecture = fixture.Loaded.Architecture;
        Assert.Same(TinyTrunkSpec.TinyNormalization, architecture.SketchInput.Normalization);
        Assert.Same(TinyTrunkSpec.TinyNormalization, architecture.PhotoInput.Normalization);
        Assert.Equal((32, 40), (architecture.SketchInput.Size, architecture.PhotoInput.Size));
        Assert.Equal(DshImaging.SketchPadColor, architecture.SketchInput.PadColor);
        Assert.Equal(DshImaging.PhotoPadColor, architecture.PhotoInput.PadColor);
        Assert.Equal((8 + 6) * 2 * 2, architecture.FusionInputLength);
        Assert.Equal(8 * 2 * 2, architecture.SketchFeatureLength);
    }

    [Fact]
    public void Validate_NamesTheTrunk_AndItsShapes()
    {
        DshArchitecture good = TinyTrunkModelFixture.Architecture(16);
        var tooSmall = Assert.Throws<ArgumentException>(() => (good with { SketchTrunk = new TinyTrunkSpec { InputSize = 2, PooledSide = 4 } }).Validate());
        Assert.Contains("SketchTrunk (tiny-test)", tooSmall.Message, StringComparison.Ordinal);
        Assert.Contains("PooledSide", tooSmall.Message, StringComparison.Ordinal);
        var mismatch = Assert.Throws<ArgumentException>(() => (good with { PhotoTrunk = new TinyTrunkSpec { PooledSide = 3 } }).Validate());
        Assert.Contains("pool 3", mismatch.Message, StringComparison.Ordinal);
        var fillers = Assert.Throws<ArgumentException>(() => (good with { Initialization = DshInitialization.PaperFillers }).Validate());
        Assert.Contains("tiny-test", fillers.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThisAssembly_SeesOnlyThePublicApi()
    {
        var friends = typeof(DshModel).Assembly.GetCustomAttributes(typeof(InternalsVisibleToAttribute), false)
            .Cast<InternalsVisibleToAttribute>().Select(a => a.AssemblyName);
        Assert.DoesNotContain(typeof(TinyTrunkTests).Assembly.GetName().Name, friends);
    }

    /// <summary>Another spec type that claims the tiny trunk's kind (never built).</summary>
    private sealed record ImpostorTrunkSpec : TrunkSpec
    {
        public override string Kind => TinyTrunkSpec.KindName;

        public override int InputSize { get; init; } = 32;

        public override ImageNormalization Normalization => ImageNormalization.Sketch;

        public override FeatureShape FeatureShape => new(1, 1, 1);

        public override void Validate()
        {
        }

        public override DshTrunk Build(bool tokenBranch) => throw new NotSupportedException();
    }
}
