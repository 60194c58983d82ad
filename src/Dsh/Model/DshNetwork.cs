using Dsh.Hashing;
using Dsh.Model;
using Dsh.Native;
using Dsh.Trunks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dsh;

/// <summary>
/// The semi-heterogeneous Deep Sketch Hashing network: C2-Net (sketch trunk + sketch head) for sketches and
/// C1-Net (photo trunk + the same sketch trunk on sketch-tokens + cross-weight fusion head) for photos. Both end
/// in a linear layer of <see cref="DshArchitecture.CodeLength"/> outputs; a code is the sign of that output.
/// </summary>
/// <remarks>
/// <para><c>state_dict</c> keys (a public contract) are the trunks' keys under <c>sketch_trunk.</c> and <c>photo_trunk.</c>, then
/// the heads'. With the Caffe trunks: <c>sketch_trunk.conv1.weight</c> … <c>sketch_trunk.conv3_2.bias</c>,
/// <c>sketch_trunk.sketch_bn.{0..4}.*</c>, <c>sketch_trunk.token_bn.{0..4}.*</c> (per-branch batch norm only),
/// <c>sketch_head.fc_a|fc_b|fc_code.*</c>, <c>photo_trunk.conv1..conv5.*</c>,
/// <c>fusion.fc_a|fc6|fc_b|fc7|fc_code.*</c>. docs/model.md maps them to the deploy files' layer names. The ResNet18
/// backbone has torchvision's ResNet keys under <c>sketch_trunk.</c> and <c>photo_trunk.</c> (<c>layer4.2.conv2.weight</c>, …),
/// plus the token branch's <c>sketch_trunk.token_bn1.*</c> and <c>sketch_trunk.layerN.M.token_bn1|token_bn2|token_downsample_bn.*</c>.
/// A network of several <see cref="DshArchitecture.Members"/> holds its first member under those keys and member
/// m (m ≥ 2) under <c>members.{m − 2}.</c> with the same keys (<c>members.0.sketch_head.fc_code.weight</c>, …) less its
/// trunks' frozen stages, which are the first member's tensors; its outputs are the members' side by side, the first
/// member's bits first.</para>
/// <para><c>Forward*</c> run in the current mode with autograd (training); <c>Encode*</c> switch to eval mode without
/// gradients for the call and restore the previous mode. A network is not thread-safe, with one exception: while every
/// module is in eval mode (<c>eval()</c>), <c>Encode*</c> change nothing, so any number of threads may call them at once
/// (<see cref="DshModel"/> keeps its network so).</para>
/// </remarks>
public sealed class DshNetwork : nn.Module
{
    /// <summary>Batch size <c>Encode*</c> uses when none is given.</summary>
    public const int DefaultEncodeBatchSize = 64;

#pragma warning disable IDE1006 // field names are the state_dict keys
    private readonly DshTrunk sketch_trunk;
    private readonly SketchHead sketch_head;
    private readonly DshTrunk photo_trunk;
    private readonly FusionHead fusion;
    private readonly ModuleList<DshNetworkMember> members;
#pragma warning restore IDE1006

    /// <summary>Every member's modules, the first member (this network's own fields) first.</summary>
    private readonly MemberParts[] _members;

    /// <summary>
    /// Builds the network (float32, CPU): each trunk from its spec, then the heads, and initialises it as
    /// <see cref="DshArchitecture.Initialization"/> says. Trunks with pretrained weights start random with their frozen
    /// stages already frozen: load the weights with <see cref="LoadPretrainedWeights"/> (the trainer does) or a saved
    /// model's weights.
    /// </summary>
    /// <exception cref="ArgumentException">The architecture is invalid (see <see cref="DshArchitecture.Validate"/>).</exception>
    /// <exception cref="DshNativeLibraryException">TorchSharp's native library cannot be loaded.</exception>
    public DshNetwork(DshArchitecture architecture) : base(nameof(DshNetwork))
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        TorchRuntime.EnsureLoaded();
        Architecture = architecture;
        DshArchitecture member = architecture.MemberArchitecture;
        MemberParts first = MemberParts.Build(member);
        (sketch_trunk, sketch_head, photo_trunk, fusion) = (first.SketchTrunk, first.SketchHead, first.PhotoTrunk, first.Fusion);
        members = new ModuleList<DshNetworkMember>(Enumerable.Range(1, architecture.Members - 1).Select(_ => new DshNetworkMember(member)).ToArray());
        _members = [first, .. members.Select(m => m.Parts)];
        RegisterComponents();
        ShareFrozenStages();
    }

    /// <summary>
    /// The keys of the tensors that members after the first share with it (their trunks' frozen stages,
    /// <see cref="DshStateLayout.IsSharedByMembers"/>), left out of <see cref="state_dict"/>.
    /// </summary>
    private readonly HashSet<string> _sharedKeys = new(StringComparer.Ordinal);

    /// <summary>
    /// Points every frozen-stage tensor of the members after the first at the first member's (one copy in memory and in
    /// files): those stages never run in them (<see cref="SketchBoundary"/> and <see cref="PhotoBoundary"/> are the first
    /// member's), so sharing changes no output, and whatever fills the first member's tensors fills them all. Moving the
    /// network (<c>to</c>, which makes new tensors) shares them again.
    /// </summary>
    /// <exception cref="InvalidOperationException">A trunk spec calls a tensor that learns frozen (<see cref="TrunkSpec.IsFrozenStateEntry"/>).</exception>
    private void ShareFrozenStages()
    {
        if (_members.Length == 1)
        {
            return;
        }
        DshArchitecture member = Architecture.MemberArchitecture;
        Dictionary<string, Tensor> firstMember = base.state_dict();
        using var noGrad = no_grad();
        for (int m = 1; m < _members.Length; m++)
        {
            foreach ((string name, Tensor tensor) in members[m - 1].state_dict())
            {
                if (!DshStateLayout.IsSharedByMembers(member, name))
                {
                    continue;
                }
                if (tensor.requires_grad || firstMember[name].requires_grad)
                {
                    throw new InvalidOperationException(
                        $"'{name}' learns, yet its trunk spec calls it frozen (IsFrozenStateEntry): members cannot share it.");
                }
                tensor.set_(firstMember[name]);
                _sharedKeys.Add($"members.{m - 1}.{name}");
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>Every <c>to</c> ends here after moving or converting the tensors (new ones): the members share the first one's frozen stages again.</remarks>
    protected override void _toEpilog(ScalarType? dtype, Device? device, bool non_blocking)
    {
        base._toEpilog(dtype, device, non_blocking);
        ShareFrozenStages();
    }

    /// <inheritdoc />
    /// <remarks>
    /// Leaves out the tensors members after the first share with it (their trunks' frozen stages): model files and
    /// checkpoints hold them once, under the first member's keys (<see cref="DshStateLayout"/>).
    /// </remarks>
    public override Dictionary<string, Tensor> state_dict(Dictionary<string, Tensor>? destination = null, string? prefix = null)
    {
        Dictionary<string, Tensor> state = base.state_dict(destination, prefix);
        foreach (string key in _sharedKeys)
        {
            state.Remove(string.IsNullOrEmpty(prefix) ? key : $"{prefix}.{key}");
        }
        return state;
    }

    /// <summary>
    /// The tensors <see cref="state_dict"/> leaves out, by the keys model files of several members written before they
    /// were shared hold them under (such files load: <see cref="Persistence.StateDictReader"/> checks and skips them).
    /// </summary>
    internal IReadOnlyDictionary<string, Tensor> SharedMemberState()
    {
        Dictionary<string, Tensor> all = base.state_dict();
        return _sharedKeys.ToDictionary(key => key, key => all[key], StringComparer.Ordinal);
    }

    /// <summary>The shapes this network was built with.</summary>
    public DshArchitecture Architecture { get; }

    /// <summary>The trunk whose convolutions serve sketches and sketch-tokens (built from <see cref="DshArchitecture.SketchTrunk"/>).</summary>
    public DshTrunk SketchTrunk => sketch_trunk;

    /// <summary>C2-Net's fully connected head.</summary>
    public SketchHead SketchHead => sketch_head;

    /// <summary>C1-Net's photo trunk (built from <see cref="DshArchitecture.PhotoTrunk"/>).</summary>
    public DshTrunk PhotoTrunk => photo_trunk;

    /// <summary>C1-Net's cross-weight late-fusion head.</summary>
    public FusionHead FusionHead => fusion;

    /// <summary>How many members make the code (<see cref="DshArchitecture.Members"/>); the properties above are the first member's.</summary>
    public int MemberCount => _members.Length;

    /// <summary>Member <paramref name="index"/>'s modules (0: the first member, this network's own fields).</summary>
    internal MemberParts Member(int index) => _members[index];

    /// <summary>
    /// Fills every trunk whose spec has pretrained weights (<see cref="TrunkSpec.HasPretrainedWeights"/>, e.g. the
    /// ImageNet ResNet-18) with them; <paramref name="path"/> overrides where they are read from (null: each spec's
    /// default place). Trunks without pretrained weights are left as they are.
    /// </summary>
    /// <exception cref="FileNotFoundException">The weights are missing; the message says where to get them.</exception>
    /// <exception cref="InvalidDataException">The weights file does not fit the trunk.</exception>
    public void LoadPretrainedWeights(string? path = null)
    {
        foreach (MemberParts member in _members)
        {
            Architecture.SketchTrunk.LoadPretrainedWeights(member.SketchTrunk, path);
            Architecture.PhotoTrunk.LoadPretrainedWeights(member.PhotoTrunk, path);
        }
    }

    /// <summary>Number of learnable parameters (each shared tensor counted once), frozen ones included.</summary>
    public long ParameterCount => named_parameters().Where(p => !_sharedKeys.Contains(p.name)).Sum(p => p.parameter.numel());

    /// <summary>Number of parameters training updates: <see cref="ParameterCount"/> less the frozen stages.</summary>
    public long TrainableParameterCount => TrainableParameters().Sum(p => p.numel());

    /// <summary>The parameters that require gradients, in <c>parameters()</c> order.</summary>
    internal IEnumerable<TorchSharp.Modules.Parameter> TrainableParameters() => parameters().Where(p => p.requires_grad);

    /// <summary>The parameters of member <paramref name="index"/> that require gradients.</summary>
    internal IEnumerable<TorchSharp.Modules.Parameter> TrainableParameters(int index)
    {
        if (_members.Length == 1)
        {
            ArgumentOutOfRangeException.ThrowIfNotEqual(index, 0);
            return TrainableParameters();
        }
        MemberParts m = _members[index];
        return new nn.Module[] { m.SketchTrunk, m.SketchHead, m.PhotoTrunk, m.Fusion }.SelectMany(module => module.parameters()).Where(p => p.requires_grad);
    }

    /// <summary>Every member's sketch trunk parameters (the ones a sketch-trunk learning-rate factor applies to).</summary>
    internal IEnumerable<TorchSharp.Modules.Parameter> SketchTrunkParameters() => _members.SelectMany(m => m.SketchTrunk.parameters());

    /// <summary>Every member's fusion head parameters (the ones a fusion-head learning-rate factor applies to).</summary>
    internal IEnumerable<TorchSharp.Modules.Parameter> FusionHeadParameters() => _members.SelectMany(m => m.Fusion.parameters());

    /// <summary>The device of the network's parameters.</summary>
    public Device Device => parameters().First().device;

    /// <summary>The element type of the network's parameters (float32 unless converted).</summary>
    public ScalarType ParameterType => parameters().First().dtype;

    /// <summary>Training forward of C2-Net: sketches [N,3,S,S] → real outputs F_S [N,K], with autograd, in the current mode.</summary>
    /// <exception cref="ArgumentException">Wrong shape, channels, size or element type, a batch of zero, or NaN/infinite values.</exception>
    public Tensor ForwardSketch(Tensor sketches)
    {
        ImageBatchChecks.Check(sketches, Architecture.SketchInputSize, ParameterType, nameof(sketches));
        return SketchCore(sketches);
    }

    /// <summary>
    /// Training forward of C1-Net: photos [N,3,P,P] and their sketch-token maps [N,3,S,S] → real outputs F_I [N,K],
    /// with autograd, in the current mode.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong shapes or element types, different counts, a batch of zero, or NaN/infinite values.</exception>
    public Tensor ForwardPhoto(Tensor photos, Tensor sketchTokens)
    {
        ImageBatchChecks.Check(photos, Architecture.PhotoInputSize, ParameterType, nameof(photos));
        ImageBatchChecks.Check(sketchTokens, Architecture.SketchTokenInputSize, ParameterType, nameof(sketchTokens));
        ImageBatchChecks.CheckSameCount(photos, nameof(photos), sketchTokens, nameof(sketchTokens));
        return PhotoCore(photos, sketchTokens);
    }

    /// <summary>Sketches [N,3,S,S] → real outputs [N,K] in eval mode, without gradients (batches of <see cref="DefaultEncodeBatchSize"/>).</summary>
    public Tensor EncodeSketch(Tensor sketches) => EncodeSketch(sketches, DefaultEncodeBatchSize);

    /// <summary>Sketches [N,3,S,S] → real outputs [N,K] in eval mode, without gradients, <paramref name="batchSize"/> at a time.</summary>
    public Tensor EncodeSketch(Tensor sketches, int batchSize)
    {
        ImageBatchChecks.Check(sketches, Architecture.SketchInputSize, ParameterType, nameof(sketches));
        return Encode(batchSize, sketches, null, (s, _) => SketchCore(s));
    }

    /// <summary>Photos [N,3,P,P] with their sketch-tokens [N,3,S,S] → real outputs [N,K] in eval mode, without gradients.</summary>
    public Tensor EncodePhoto(Tensor photos, Tensor sketchTokens) => EncodePhoto(photos, sketchTokens, DefaultEncodeBatchSize);

    /// <summary>Photos with their sketch-tokens → real outputs [N,K] in eval mode, without gradients, <paramref name="batchSize"/> at a time.</summary>
    public Tensor EncodePhoto(Tensor photos, Tensor sketchTokens, int batchSize)
    {
        ImageBatchChecks.Check(photos, Architecture.PhotoInputSize, ParameterType, nameof(photos));
        ImageBatchChecks.Check(sketchTokens, Architecture.SketchTokenInputSize, ParameterType, nameof(sketchTokens));
        ImageBatchChecks.CheckSameCount(photos, nameof(photos), sketchTokens, nameof(sketchTokens));
        return Encode(batchSize, photos, sketchTokens, (p, t) => PhotoCore(p, t!));
    }

    /// <summary>Binary codes of sketches: bit = output &gt; 0 (the index's convention).</summary>
    public BinaryCodeSet EncodeSketchCodes(Tensor sketches)
    {
        using Tensor outputs = EncodeSketch(sketches);
        return ToCodes(outputs);
    }

    /// <summary>Binary codes of photos (with their sketch-tokens): bit = output &gt; 0.</summary>
    public BinaryCodeSet EncodePhotoCodes(Tensor photos, Tensor sketchTokens)
    {
        using Tensor outputs = EncodePhoto(photos, sketchTokens);
        return ToCodes(outputs);
    }

    /// <summary>Turns real outputs [N,K] into codes (sign; bit set where the value is &gt; 0).</summary>
    /// <exception cref="ArgumentException">Not a 2-d tensor, or it holds NaN.</exception>
    public static BinaryCodeSet ToCodes(Tensor outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        if (outputs.dim() != 2)
        {
            throw new ArgumentException($"Outputs must be [N, K], not [{string.Join(", ", outputs.shape)}].", nameof(outputs));
        }
        using var scope = NewDisposeScope();
        using Tensor cpuOutputs = outputs.detach().to(ScalarType.Float32).cpu().contiguous();
        float[] values = cpuOutputs.data<float>().ToArray();
        return BinaryCodeSet.FromSigns(values, (int)outputs.shape[1]);
    }

    /// <summary>C2-Net on a checked batch.</summary>
    private Tensor SketchCore(Tensor sketches)
    {
        using var scope = NewDisposeScope();
        return ForwardSketchFrom(SketchBoundary(sketches, SketchBranch.Sketch)).MoveToOuterDisposeScope();
    }

    /// <summary>C1-Net on checked batches: token trunk (token batch norm) and photo trunk, fused tokens first.</summary>
    private Tensor PhotoCore(Tensor photos, Tensor sketchTokens)
    {
        using var scope = NewDisposeScope();
        return ForwardPhotoFrom(PhotoBoundary(photos), SketchBoundary(sketchTokens, SketchBranch.Token)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// What the frozen part of the sketch trunk makes of images (no gradients, eval mode; on <see cref="Device"/>): the
    /// input of <see cref="ForwardSketchFrom(Tensor)"/> / the token part of <see cref="ForwardPhotoFrom(Tensor, Tensor)"/>. Without a frozen
    /// part, the images themselves (on <see cref="Device"/>).
    /// </summary>
    internal Tensor SketchBoundary(Tensor images, SketchBranch branch) => sketch_trunk.ForwardFrozen(images.to(Device), branch);

    /// <summary>What the frozen part of the photo trunk makes of photos (or the photos themselves), on <see cref="Device"/>.</summary>
    internal Tensor PhotoBoundary(Tensor photos) => photo_trunk.ForwardFrozen(photos.to(Device), SketchBranch.Sketch);

    /// <summary>
    /// C2-Net from the sketch trunk's frozen boundary (see <see cref="SketchBoundary"/>) to [N, K], with autograd: every
    /// member's outputs side by side.
    /// </summary>
    internal Tensor ForwardSketchFrom(Tensor boundary)
    {
        using var scope = NewDisposeScope();
        Tensor onDevice = boundary.to(Device);
        return SideBySide(m => m.SketchFrom(onDevice)).MoveToOuterDisposeScope();
    }

    /// <summary>Member <paramref name="index"/>'s part of <see cref="ForwardSketchFrom(Tensor)"/>: [N, K / members].</summary>
    internal Tensor ForwardSketchFrom(Tensor boundary, int index)
    {
        using var scope = NewDisposeScope();
        return _members[index].SketchFrom(boundary.to(Device)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// C1-Net from both frozen boundaries to [N, K], with autograd: token trunk and photo trunk, fused tokens first; every
    /// member's outputs side by side.
    /// </summary>
    internal Tensor ForwardPhotoFrom(Tensor photoBoundary, Tensor tokenBoundary)
    {
        using var scope = NewDisposeScope();
        Tensor photos = photoBoundary.to(Device), tokens = tokenBoundary.to(Device);
        return SideBySide(m => m.PhotoFrom(photos, tokens)).MoveToOuterDisposeScope();
    }

    /// <summary>Every member's [N, K / members] outputs joined into [N, K], the first member's first (one member: its own, uncopied).</summary>
    private Tensor SideBySide(Func<MemberParts, Tensor> forward) =>
        _members.Length == 1 ? forward(_members[0]) : cat(_members.Select(forward).ToArray(), 1);

    /// <summary>Member <paramref name="index"/>'s part of <see cref="ForwardPhotoFrom(Tensor, Tensor)"/>: [N, K / members].</summary>
    internal Tensor ForwardPhotoFrom(Tensor photoBoundary, Tensor tokenBoundary, int index)
    {
        using var scope = NewDisposeScope();
        return _members[index].PhotoFrom(photoBoundary.to(Device), tokenBoundary.to(Device)).MoveToOuterDisposeScope();
    }

    /// <summary>C2-Net outputs [N, K] from frozen-boundary tensors, in eval mode without gradients.</summary>
    internal Tensor EncodeSketchFrom(Tensor boundary) => Encode(DefaultEncodeBatchSize, boundary, null, (s, _) => ForwardSketchFrom(s));

    /// <summary>C1-Net outputs [N, K] from frozen-boundary tensors, in eval mode without gradients.</summary>
    internal Tensor EncodePhotoFrom(Tensor photoBoundary, Tensor tokenBoundary) =>
        Encode(DefaultEncodeBatchSize, photoBoundary, tokenBoundary, (p, t) => ForwardPhotoFrom(p, t!));

    private Tensor Encode(int batchSize, Tensor first, Tensor? second, Func<Tensor, Tensor?, Tensor> forward)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        // Remember every module's own mode (a user may have frozen some batch norm in eval), then restore them
        // parents first, so each child ends in the mode it had. A network already in eval mode everywhere is not touched
        // at all, which is what makes concurrent Encode* calls on it safe (DshModel keeps its network so).
        var modes = modules().Prepend(this).Select(m => (Module: m, Training: m.training)).ToList();
        if (modes.Any(m => m.Training))
        {
            eval();
        }
        else
        {
            modes.Clear();
        }
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            long n = first.shape[0];
            var parts = new List<Tensor>();
            for (long start = 0; start < n; start += batchSize)
            {
                long length = Math.Min(batchSize, n - start);
                parts.Add(forward(first.narrow(0, start, length), second?.narrow(0, start, length)));
            }
            Tensor result = parts.Count == 1 ? parts[0] : cat(parts, 0);
            return result.MoveToOuterDisposeScope();
        }
        finally
        {
            foreach (var (module, training) in modes)
            {
                module.train(training);
            }
        }
    }
}
