using Dsh.Hashing;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh;

/// <summary>
/// The semi-heterogeneous Deep Sketch Hashing network: C2-Net (sketch trunk + sketch head) for sketches and
/// C1-Net (photo trunk + the same sketch trunk on sketch-tokens + cross-weight fusion head) for photos. Both end
/// in a linear layer of <see cref="DshArchitecture.CodeLength"/> outputs; a code is the sign of that output.
/// </summary>
/// <remarks>
/// <para><c>state_dict</c> keys (a public contract): <c>sketch_trunk.conv1.weight</c> … <c>sketch_trunk.conv3_2.bias</c>,
/// <c>sketch_trunk.sketch_bn.{0..4}.*</c>, <c>sketch_trunk.token_bn.{0..4}.*</c> (per-branch batch norm only),
/// <c>sketch_head.fc_a|fc_b|fc_code.*</c>, <c>photo_trunk.conv1..conv5.*</c>,
/// <c>fusion.fc_a|fc6|fc_b|fc7|fc_code.*</c>. docs/model.md maps them to the deploy files' layer names.</para>
/// <para><c>Forward*</c> run in the current mode with autograd (training); <c>Encode*</c> switch to eval mode without
/// gradients for the call and restore the previous mode. A network is not thread-safe.</para>
/// </remarks>
public sealed class DshNetwork : nn.Module
{
    /// <summary>Batch size <c>Encode*</c> uses when none is given.</summary>
    public const int DefaultEncodeBatchSize = 64;

#pragma warning disable IDE1006 // field names are the state_dict keys
    private readonly SketchTrunk sketch_trunk;
    private readonly SketchHead sketch_head;
    private readonly PhotoTrunk photo_trunk;
    private readonly FusionHead fusion;
#pragma warning restore IDE1006

    /// <summary>Builds the network (float32, CPU) and initialises it as <see cref="DshArchitecture.Initialization"/> says.</summary>
    /// <exception cref="ArgumentException">The architecture is invalid (see <see cref="DshArchitecture.Validate"/>).</exception>
    /// <exception cref="DshNativeLibraryException">TorchSharp's native library cannot be loaded.</exception>
    public DshNetwork(DshArchitecture architecture) : base(nameof(DshNetwork))
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        TorchRuntime.EnsureLoaded();
        Architecture = architecture;
        sketch_trunk = new SketchTrunk(architecture);
        sketch_head = new SketchHead(architecture);
        photo_trunk = new PhotoTrunk(architecture);
        fusion = new FusionHead(architecture);
        RegisterComponents();
        if (architecture.Initialization == DshInitialization.PaperFillers)
        {
            PaperFillers.Apply(this);
        }
    }

    /// <summary>The shapes this network was built with.</summary>
    public DshArchitecture Architecture { get; }

    /// <summary>The shared sketch/token convolution stack.</summary>
    public SketchTrunk SketchTrunk => sketch_trunk;

    /// <summary>C2-Net's fully connected head.</summary>
    public SketchHead SketchHead => sketch_head;

    /// <summary>C1-Net's AlexNet photo trunk.</summary>
    public PhotoTrunk PhotoTrunk => photo_trunk;

    /// <summary>C1-Net's cross-weight late-fusion head.</summary>
    public FusionHead FusionHead => fusion;

    /// <summary>Number of learnable parameters (each shared tensor counted once).</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

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
        ImageBatchChecks.Check(sketchTokens, Architecture.SketchInputSize, ParameterType, nameof(sketchTokens));
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
        ImageBatchChecks.Check(sketchTokens, Architecture.SketchInputSize, ParameterType, nameof(sketchTokens));
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
        Tensor x = sketches.to(Device);
        return sketch_head.forward(sketch_trunk.forward(x, SketchBranch.Sketch)).MoveToOuterDisposeScope();
    }

    /// <summary>C1-Net on checked batches: token trunk (token batch norm) and photo trunk, fused tokens first.</summary>
    private Tensor PhotoCore(Tensor photos, Tensor sketchTokens)
    {
        using var scope = NewDisposeScope();
        Tensor tokens = sketch_trunk.forward(sketchTokens.to(Device), SketchBranch.Token);
        Tensor image = photo_trunk.forward(photos.to(Device));
        return fusion.forward(tokens, image).MoveToOuterDisposeScope();
    }

    private Tensor Encode(int batchSize, Tensor first, Tensor? second, Func<Tensor, Tensor?, Tensor> forward)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        // Remember every module's own mode (a user may have frozen some batch norm in eval), then restore them
        // parents first, so each child ends in the mode it had.
        var modes = modules().Prepend(this).Select(m => (Module: m, Training: m.training)).ToList();
        eval();
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
