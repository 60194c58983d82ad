using System.Text.Json;
using Dsh.Model;
using Dsh.Tests.Support;
using Dsh.Trunks;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Model;

/// <summary>
/// <see cref="DshArchitecture.ParameterCount"/>, <see cref="DshArchitecture.StateByteCount"/> and the state layout, computed
/// from the shapes alone, equal what a built <see cref="DshNetwork"/> has, for every profile and the variants
/// <see cref="DshArchitecture.Validate"/> accepts.
/// </summary>
public class ArchitectureParameterCountTests
{
    private static readonly Dictionary<string, DshArchitecture> Architectures = new()
    {
        ["compact-8"] = DshArchitecture.Compact(8),
        ["compact-64"] = DshArchitecture.Compact(64),
        ["compact-4096"] = DshArchitecture.Compact(4096),
        ["compact-shared-bn"] = DshArchitecture.Compact(64) with { TokenBatchNorm = TokenBatchNorm.Shared },
        ["compact-fusion-1000-3"] = DshArchitecture.Compact(32).WithHeadWidths([7, 300], [1000, 3]),
        ["compact-groups-1"] = DshArchitecture.Compact(32) with { PhotoTrunk = DshArchitecture.Compact(32).AlexNetPhoto() with { Groups = 1 } },
        ["compact-groups-4"] = DshArchitecture.Compact(32) with { PhotoTrunk = DshArchitecture.Compact(32).AlexNetPhoto() with { Groups = 4 } },
        ["compact-kernels"] = DshArchitecture.Compact(16) with
        {
            SketchTrunk = DshArchitecture.Compact(16).CaffeSketch() with { InputSize = 80, Conv1Kernel = 6, Conv1Stride = 3 },
            PhotoTrunk = DshArchitecture.Compact(16).AlexNetPhoto() with { InputSize = 80, Conv1Kernel = 6, Conv1Stride = 3, Pool5Padding = 0 },
        },
        ["tiny"] = Training.TrainingFixtures.TinyArchitecture,
        ["paper-8"] = DshArchitecture.Paper(8),
        ["paper-256-shared-bn"] = DshArchitecture.Paper(256) with { TokenBatchNorm = TokenBatchNorm.Shared },
        ["resnet18-8"] = DshArchitecture.ResNet18(8),
        ["resnet18-64"] = DshArchitecture.ResNet18(64),
        ["resnet18-4096"] = DshArchitecture.ResNet18(4096),
        ["resnet18-shared-bn"] = DshArchitecture.ResNet18(64) with { TokenBatchNorm = TokenBatchNorm.Shared },
        ["resnet18-unfrozen"] = DshArchitecture.ResNet18(32).WithFrozen(0, 0),
        ["resnet18-frozen-2-1"] = DshArchitecture.ResNet18(32).WithFrozen(2, 1),
        ["resnet18-frozen-4-4-shared"] = DshArchitecture.ResNet18(32).WithFrozen(4, 4) with { TokenBatchNorm = TokenBatchNorm.Shared },
        ["resnet18-32px-wide"] = DshArchitecture.ResNet18(128).WithSizes(32, 64).WithHeadWidths([3000, 5], [64, 2048]),
        ["tiny-2-members"] = Training.TrainingFixtures.TinyArchitecture with { Members = 2 },
        ["resnet18-64-2-members"] = DshArchitecture.ResNet18(64) with { Members = 2 },
        ["compact-24-3-members"] = DshArchitecture.Compact(24) with { Members = 3 },
    };

    public static TheoryData<string> Names => new(Architectures.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void Counts_AndLayout_EqualTheBuiltNetwork(string name)
    {
        DshArchitecture architecture = Architectures[name];
        using var network = new DshNetwork(architecture);

        Assert.Equal(network.ParameterCount, architecture.ParameterCount);
        Dictionary<string, Tensor> state = network.state_dict();
        Assert.Equal(state.Values.Sum(t => t.numel() * t.ElementSize), architecture.StateByteCount);

        IReadOnlyList<StateEntry> layout = architecture.StateLayout();
        Assert.Equal(state.Keys.Order(StringComparer.Ordinal), layout.Select(e => e.Name).Order(StringComparer.Ordinal));
        var parameters = network.named_parameters().Select(p => p.name).ToHashSet();
        foreach (StateEntry entry in layout)
        {
            Tensor tensor = state[entry.Name];
            Assert.True(tensor.shape.SequenceEqual(entry.Shape), $"{entry.Name}: [{string.Join(", ", tensor.shape)}] vs [{string.Join(", ", entry.Shape)}]");
            Assert.Equal(tensor.dtype, entry.ElementType);
            Assert.Equal(parameters.Contains(entry.Name), entry.IsParameter);
        }
    }

    [Fact]
    public void BuiltInProfiles_FitTheDefaultLoadLimits_AtEveryCodeLength()
    {
        Assert.Equal(281_763_264L, DshArchitecture.Paper(128).ParameterCount);
        Assert.Equal(293_960_896L, DshArchitecture.Paper(4096).ParameterCount); // the largest built-in network
        foreach (DshArchitecture a in new[] { DshArchitecture.Paper(4096), DshArchitecture.Compact(4096), DshArchitecture.ResNet18(4096) })
        {
            Assert.InRange(a.ParameterCount, 1, DshModelLoadOptions.DefaultMaxParameters);
            Assert.InRange(a.StateByteCount, 4 * a.ParameterCount, DshModelLoadOptions.DefaultMaxStateBytes);
        }
    }

    [Fact]
    public void AHugeArchitecture_IsCountedWithoutBuildingIt()
    {
        DshArchitecture huge = DshArchitecture.Compact(8).WithHeadWidths([512, 256], [65_536, 65_536]);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long count = huge.ParameterCount;
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{clock.Elapsed}"); // counting takes microseconds; building it would allocate 17 GB
        // The fusion head's input is (128 + 128)·3·3 = 2304: fc_a and fc6 read it, fc_b and fc7 read 2·65536, fc_code 2·65536.
        long fc = 2 * (2304L * 65_536 + 65_536) + 2 * (131_072L * 65_536 + 65_536) + (131_072L * 8 + 8);
        Assert.Equal(DshArchitecture.Compact(8).ParameterCount - FusionOf(DshArchitecture.Compact(8)) + fc, count);
        Assert.True(count > DshModelLoadOptions.DefaultMaxParameters);
    }

    [Fact]
    public void MaximalDimensions_AreCountedIn64Bits()
    {
        // Every width at the limit, a 1-pixel stride: the fusion input alone is (65536 + 65536)·s·s.
        var compact = DshArchitecture.Compact(4096);
        DshArchitecture absurd = compact with
        {
            SketchTrunk = compact.CaffeSketch() with { InputSize = 65_536, Conv1Kernel = 1, Conv1Stride = 1, Channels = new[] { 65_536, 65_536, 65_536, 65_536, 65_536 } },
            PhotoTrunk = compact.AlexNetPhoto() with { InputSize = 65_536, Conv1Kernel = 1, Conv1Stride = 1, Pool5Padding = 0, Channels = new[] { 65_536, 65_536, 65_536, 65_536, 65_536 } },
            SketchHead = compact.SketchHead with { Widths = new[] { 65_536, 65_536 } },
            FusionHead = compact.FusionHead with { Widths = new[] { 65_536, 65_536 } },
        };
        absurd.Validate();
        Assert.True(absurd.ParameterCount > DshModelLoadOptions.DefaultMaxParameters);
        Assert.True(absurd.StateByteCount > DshModelLoadOptions.DefaultMaxStateBytes);
    }

    [Fact]
    public void InvalidArchitecture_IsAnArgumentException() =>
        Assert.Throws<ArgumentException>(() => (DshArchitecture.Compact(8) with { FusionHead = new FusionHeadSpec { Widths = new[] { 1 } } }).ParameterCount);

    [Fact]
    public void Counts_AreNotPartOfTheJson()
    {
        string json = JsonSerializer.Serialize(DshArchitecture.Compact(32));
        Assert.DoesNotContain(nameof(DshArchitecture.ParameterCount), json);
        Assert.DoesNotContain(nameof(DshArchitecture.StateByteCount), json);
    }

    private static long FusionOf(DshArchitecture a) =>
        a.StateLayout().Where(e => e.Name.StartsWith("fusion.", StringComparison.Ordinal)).Sum(e => e.Elements);
}
