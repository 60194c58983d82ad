using Dsh.Model;
using Dsh.Persistence;
using Dsh.Pretrained;
using Dsh.Tests.Support;
using Dsh.Training;
using Dsh.Trunks;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Model;

/// <summary>
/// A network of several <see cref="DshArchitecture.Members"/> keeps its trunks' frozen stages once: the members after the
/// first point at the first member's tensors, leave them out of <c>state_dict</c> and of model files, and count them
/// once; files written with a copy for every member still load.
/// </summary>
public sealed class MemberSharingTests : IDisposable
{
    private readonly TempFolder _folder = new("dsh-member-sharing-");

    public void Dispose() => _folder.Dispose();

    /// <summary>Two 8-bit ResNet-18 members at 32 px: sketch stem and layers 1–3 frozen, the photo trunk whole.</summary>
    private static DshArchitecture Two => DshArchitecture.ResNet18(16).WithSizes(32) with { Members = 2 };

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    [InlineData(4, false)]
    public void A_resnet_specs_frozen_entries_are_exactly_the_ones_freezing_stops(int frozenStages, bool tokenBranch)
    {
        var spec = new ResNet18TrunkSpec { InputSize = 32, FrozenStages = frozenStages };
        using DshTrunk trunk = spec.Build(tokenBranch);
        var learns = trunk.named_parameters().ToDictionary(p => p.name, p => p.parameter.requires_grad);
        Dictionary<string, Tensor> state = trunk.state_dict();
        foreach (string key in state.Keys)
        {
            // a running statistic belongs to the batch norm whose weight sits beside it
            string parameter = learns.ContainsKey(key) ? key : key[..key.LastIndexOf('.')] + ".weight";
            Assert.True(!learns[parameter] == spec.IsFrozenStateEntry(key), $"{key} (frozen stages {frozenStages})");
        }
        Assert.Equal(frozenStages > 0, state.Keys.Any(spec.IsFrozenStateEntry));
        Assert.Equal(frozenStages < 4, state.Keys.Any(key => !spec.IsFrozenStateEntry(key)));
    }

    [Fact]
    public void Members_after_the_first_share_its_frozen_tensors_and_leave_them_out_of_the_state()
    {
        torch.manual_seed(3);
        using var network = new DshNetwork(Two);
        Dictionary<string, Tensor> state = network.state_dict();
        Assert.DoesNotContain(state.Keys, k => k.StartsWith("members.0.photo_trunk.", StringComparison.Ordinal));
        Assert.DoesNotContain(state.Keys, k => k.StartsWith("members.0.sketch_trunk.layer3.", StringComparison.Ordinal));
        Assert.DoesNotContain("members.0.sketch_trunk.conv1.weight", state.Keys);
        Assert.Contains("members.0.sketch_trunk.layer4.1.conv2.weight", state.Keys);
        Assert.Contains("members.0.sketch_trunk.layer4.1.token_bn2.running_var", state.Keys);
        Assert.Contains("members.0.fusion.fc_code.weight", state.Keys);

        IReadOnlyDictionary<string, Tensor> shared = network.SharedMemberState();
        Assert.Contains("members.0.photo_trunk.layer4.1.conv2.weight", shared.Keys);
        Assert.Contains("members.0.sketch_trunk.layer3.0.token_bn1.running_mean", shared.Keys);
        Assert.Empty(shared.Keys.Intersect(state.Keys));
        using (no_grad())
        {
            // whatever fills the first member's frozen tensors fills every member's
            state["photo_trunk.layer4.1.conv2.weight"].fill_(0.25f);
            state["sketch_trunk.layer3.0.token_bn1.running_mean"].fill_(-2f);
        }
        Assert.Equal(0.25f, shared["members.0.photo_trunk.layer4.1.conv2.weight"].mean().item<float>());
        Assert.Equal(-2f, shared["members.0.sketch_trunk.layer3.0.token_bn1.running_mean"].mean().item<float>());

        using var one = new DshNetwork(Two.MemberArchitecture);
        long frozen = one.named_parameters().Where(p => !p.parameter.requires_grad).Sum(p => p.parameter.numel());
        Assert.True(frozen > 10_000_000, $"{frozen} frozen parameters");
        Assert.Equal(2 * one.ParameterCount - frozen, network.ParameterCount);
        Assert.Equal(2 * one.TrainableParameterCount, network.TrainableParameterCount);
    }

    [Fact]
    public void Members_share_the_frozen_tensors_again_after_the_network_is_converted()
    {
        torch.manual_seed(5);
        using var network = new DshNetwork(Two);
        network.to(ScalarType.Float64);
        Assert.Equal(ScalarType.Float64, network.ParameterType);
        using (no_grad())
        {
            network.state_dict()["sketch_trunk.layer1.0.conv1.weight"].fill_(0.5);
        }
        Tensor copy = network.SharedMemberState()["members.0.sketch_trunk.layer1.0.conv1.weight"];
        Assert.Equal(ScalarType.Float64, copy.dtype);
        Assert.Equal(0.5, copy.mean().item<double>());
    }

    [Fact]
    public void A_model_file_of_two_members_holds_the_frozen_stages_once_and_loads_with_the_same_outputs()
    {
        torch.manual_seed(4);
        using var pair = Model(new DshNetwork(Two));
        using var single = Model(new DshNetwork(Two.MemberArchitecture));
        string pairPath = Path.Combine(_folder.Path, "pair.dshm"), singlePath = Path.Combine(_folder.Path, "single.dshm");
        pair.Save(pairPath);
        single.Save(singlePath);

        long frozenBytes = Two.MemberArchitecture.StateLayout().Where(e => DshStateLayout.IsSharedByMembers(Two.MemberArchitecture, e.Name)).Sum(e => e.Bytes);
        long pairBytes = new FileInfo(pairPath).Length, singleBytes = new FileInfo(singlePath).Length;
        Assert.InRange(pairBytes, 2 * singleBytes - frozenBytes - (64 << 10), 2 * singleBytes - frozenBytes + (64 << 10));

        using var loaded = DshModel.Load(pairPath);
        AssertSameOutputs(pair, loaded);
    }

    [Fact]
    public void A_model_file_that_holds_every_members_frozen_stages_loads_and_a_wrong_copy_is_refused()
    {
        torch.manual_seed(6);
        using var pair = Model(new DshNetwork(Two));
        var everything = new Dictionary<string, Tensor>(pair.Network.state_dict());
        foreach ((string key, Tensor tensor) in pair.Network.SharedMemberState())
        {
            everything.Add(key, tensor.is_floating_point() ? randn_like(tensor) : tensor.add(7)); // other values than the first member's: they must be skipped
        }
        string path = Path.Combine(_folder.Path, "copies.dshm");
        DshFile.Write(path, DshFileKind.Model, DshJson.Serialize(pair.CreateHeader()), writer => nn.Module.save_state_dict(writer, everything));
        using (var loaded = DshModel.Load(path))
        {
            AssertSameOutputs(pair, loaded);
            Dictionary<string, Tensor> expected = pair.Network.state_dict();
            Assert.All(loaded.Network.state_dict(), kv => Assert.True(kv.Value.eq(expected[kv.Key]).all().item<bool>(), kv.Key));
            Assert.All(loaded.Network.SharedMemberState(), kv => Assert.True(kv.Value.eq(expected[kv.Key["members.0.".Length..]]).all().item<bool>(), kv.Key));
        }

        using var wrong = zeros([3, 3]);
        everything["members.0.sketch_trunk.layer2.0.conv1.weight"] = wrong;
        DshFile.Write(path, DshFileKind.Model, DshJson.Serialize(pair.CreateHeader()), writer => nn.Module.save_state_dict(writer, everything));
        var e = Assert.Throws<InvalidDataException>(() => DshModel.Load(path));
        Assert.Contains("members.0.sketch_trunk.layer2.0.conv1.weight", e.Message);
    }

    private static DshModel Model(DshNetwork network) =>
        new(network, ["a", "b", "c"], new TrainingSummary(), new Dsh.Imaging.Contours.ContourTokenExtractor().Name);

    private static void AssertSameOutputs(DshModel expected, DshModel actual)
    {
        var generator = new Generator(9);
        using Tensor sketches = randn([2, 3, 32, 32], generator: generator);
        using Tensor photos = randn([2, 3, 32, 32], generator: generator);
        using Tensor tokens = randn([2, 3, 32, 32], generator: generator);
        using Tensor a = expected.Network.EncodeSketch(sketches), b = actual.Network.EncodeSketch(sketches);
        Assert.Equal(a.data<float>().ToArray(), b.data<float>().ToArray());
        using Tensor c = expected.Network.EncodePhoto(photos, tokens), d = actual.Network.EncodePhoto(photos, tokens);
        Assert.Equal(c.data<float>().ToArray(), d.data<float>().ToArray());
    }
}
