using System.Text.Json.Nodes;
using Dsh.Persistence;
using Dsh.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Training;

/// <summary>
/// <see cref="DshArchitecture.Members"/>: a network of several members gives each member's outputs side by side, each
/// member is the network of its bits that its weights make, its first member learns exactly what a network of its bits
/// trained alone learns, and a run of several members resumes, saves and loads like any other.
/// </summary>
public sealed class MembersTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dsh-members-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static DshArchitecture Two => TrainingFixtures.TinyArchitecture with { Members = 2 };

    [Theory]
    [InlineData(0, 16)]
    [InlineData(9, 72)]
    [InlineData(3, 16)] // not a multiple
    [InlineData(4, 16)] // 4 bits a member
    public void Members_that_do_not_divide_the_code_into_parts_of_8_bits_or_more_are_refused(int members, int bits)
    {
        var e = Assert.Throws<ArgumentException>(() => (TrainingFixtures.TinyArchitecture with { CodeLength = bits, Members = members }).Validate());
        Assert.Equal(nameof(DshArchitecture.Members), e.ParamName);
        Assert.Contains($"{members} members of a {bits}-bit code", e.Message);
    }

    [Fact]
    public void Training_options_refuse_members_whose_model_the_default_load_limits_would_refuse()
    {
        var options = new DshTrainerOptions { Architecture = DshArchitecture.Paper(128) with { Members = 2 } };
        var e = Assert.Throws<ArgumentException>(() => options.Validated());
        Assert.Equal(nameof(DshTrainerOptions.Architecture), e.ParamName);
        Assert.Contains("fewer Members", e.Message);
        _ = (options with { Architecture = DshArchitecture.Paper(128) }).Validated(); // one member fits
    }

    [Fact]
    public void The_member_architecture_has_the_members_bits_and_the_file_keeps_the_count_only_when_it_is_not_one()
    {
        DshArchitecture three = DshArchitecture.ResNet18(96) with { Members = 3 };
        Assert.Equal(DshArchitecture.ResNet18(32), three.MemberArchitecture);
        Assert.Same(TrainingFixtures.TinyArchitecture, TrainingFixtures.TinyArchitecture.MemberArchitecture);

        string json = DshJson.Serialize(three);
        Assert.Equal(3, JsonNode.Parse(json)!["Members"]!.GetValue<int>());
        Assert.Equal(three, DshJson.Deserialize<DshArchitecture>(json, "test"));
        string single = DshJson.Serialize(DshArchitecture.ResNet18(96));
        Assert.Null(JsonNode.Parse(single)!["Members"]);
        Assert.Equal(1, DshJson.Deserialize<DshArchitecture>(single, "test").Members);
    }

    [Fact]
    public void Each_member_is_the_network_of_its_bits_its_weights_make_and_the_outputs_sit_side_by_side()
    {
        torch.manual_seed(5);
        using var network = new DshNetwork(Two);
        Assert.Equal(2, network.MemberCount);
        var generator = new Generator(11);
        using Tensor sketches = randn([3, 3, Two.SketchInputSize, Two.SketchInputSize], generator: generator);
        using Tensor photos = randn([3, 3, Two.PhotoInputSize, Two.PhotoInputSize], generator: generator);
        using Tensor tokens = randn([3, 3, Two.SketchTokenInputSize, Two.SketchTokenInputSize], generator: generator);
        using Tensor sketchOutputs = network.EncodeSketch(sketches);
        using Tensor photoOutputs = network.EncodePhoto(photos, tokens);
        Assert.Equal([3L, 16L], sketchOutputs.shape);

        Dictionary<string, Tensor> state = network.state_dict();
        for (int m = 0; m < 2; m++)
        {
            string prefix = m == 0 ? "" : $"members.{m - 1}.";
            using var alone = new DshNetwork(Two.MemberArchitecture);
            alone.load_state_dict(state.Where(kv => m == 0 ? !kv.Key.StartsWith("members.", StringComparison.Ordinal) : kv.Key.StartsWith(prefix, StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value));
            using Tensor aloneSketch = alone.EncodeSketch(sketches), alonePhoto = alone.EncodePhoto(photos, tokens);
            Assert.True(aloneSketch.allclose(sketchOutputs.narrow(1, 8 * m, 8), rtol: 0, atol: 1e-6), $"member {m}: sketch outputs");
            Assert.True(alonePhoto.allclose(photoOutputs.narrow(1, 8 * m, 8), rtol: 0, atol: 1e-6), $"member {m}: photo outputs");
        }
        Assert.False(sketchOutputs.narrow(1, 0, 8).allclose(sketchOutputs.narrow(1, 8, 8)), "the members start from different weights");
    }

    [Fact]
    public void The_first_member_learns_what_a_network_of_its_bits_trained_alone_learns_and_the_second_learns_on_its_own()
    {
        var data = TrainingFixtures.Data();
        var options = TrainingFixtures.Options(epochs: 2);
        using var alone = TrainingFixtures.Fit(options with { Architecture = Two.MemberArchitecture }, data);
        using var pair = TrainingFixtures.Fit(options with { Architecture = Two }, data);

        Assert.Equal(16, pair.CodeLength);
        Assert.Equal(2, pair.Architecture.Members);
        var aloneWeights = TrainingFixtures.Weights(alone);
        var pairWeights = TrainingFixtures.Weights(pair);
        Assert.All(aloneWeights, kv => Assert.Equal(kv.Value, pairWeights[kv.Key]));
        Assert.NotEqual(pairWeights["sketch_head.fc_code.weight"], pairWeights["members.0.sketch_head.fc_code.weight"]);

        // the second member moved from where a network built like it starts: it trained
        torch.manual_seed(options.Seed);
        using var untrained = new DshNetwork(Two);
        double moved = untrained.state_dict()["members.0.sketch_head.fc_code.weight"].sub(pair.Network.state_dict()["members.0.sketch_head.fc_code.weight"]).abs().max().item<float>();
        Assert.True(moved > 1e-4, $"the second member's code layer moved by {moved}");
    }

    [Fact]
    public void A_run_of_two_members_killed_mid_epoch_resumes_exactly_and_its_model_file_loads_with_the_same_codes()
    {
        var data = TrainingFixtures.Data();
        var options = TrainingFixtures.Options(Path.Combine(_dir, "b")) with { Architecture = Two, CheckpointInterval = 3 };
        using var uninterrupted = TrainingFixtures.Fit(options with { CheckpointDirectory = Path.Combine(_dir, "a") }, data);
        using (var kill = new CancellationTokenSource())
        {
            var progress = new SyncProgress<DshProgress>(p => { if (p.Phase == TrainingPhase.NetworkStep && p.Step == 7) { kill.Cancel(); } });
            Assert.Throws<OperationCanceledException>(() => TrainingFixtures.Fit(options, data, progress, kill.Token));
        }
        using var resumed = TrainingFixtures.Fit(options, data);
        Assert.NotNull(resumed.Summary.ResumedFrom);
        Assert.Equal(uninterrupted.Summary.FinalTerms, resumed.Summary.FinalTerms);
        var expected = TrainingFixtures.Weights(uninterrupted);
        Assert.All(TrainingFixtures.Weights(resumed), kv => Assert.Equal(expected[kv.Key], kv.Value));

        string path = Path.Combine(_dir, "pair.dshm");
        resumed.Save(path);
        using var loaded = DshModel.Load(path);
        Assert.Equal(2, loaded.Architecture.Members);
        using Tensor sketches = data.SketchBatch([0, 1, 2, 3], null);
        using Tensor before = resumed.Network.EncodeSketch(sketches), after = loaded.Network.EncodeSketch(sketches);
        Assert.Equal(before.data<float>().ToArray(), after.data<float>().ToArray());
    }
}
