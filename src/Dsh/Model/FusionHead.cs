using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Model;

/// <summary>
/// C1-Net's cross-weight late fusion: concat(token trunk, photo trunk) (tokens first) → two parallel fully
/// connected layers that both read the whole concatenation (<c>fc_a</c> ↔ deploy <c>fc_a-S_new</c>, <c>fc6</c> ↔
/// <c>fc6_new_new</c>; ReLU; dropout A/B) → concat → two parallel layers (<c>fc_b</c> ↔ <c>fc_b-S_new</c>,
/// <c>fc7</c> ↔ <c>fc7_new_new</c>) → concat → <c>fc_code</c> (↔ <c>fc_fuse</c>, linear, K outputs).
/// </summary>
public sealed class FusionHead : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the state_dict keys
    private readonly Linear fc_a;
    private readonly Linear fc6;
    private readonly Linear fc_b;
    private readonly Linear fc7;
    private readonly Linear fc_code;
    private readonly Dropout drop_a1;
    private readonly Dropout drop_b1;
    private readonly Dropout drop_a2;
    private readonly Dropout drop_b2;
#pragma warning restore IDE1006

    /// <summary>Builds the head for <paramref name="architecture"/>.</summary>
    public FusionHead(DshArchitecture architecture) : base(nameof(FusionHead))
    {
        FusionHeadSpec spec = architecture.FusionHead;
        int input = architecture.FusionInputLength;
        int w1 = spec.Widths[0];
        int w2 = spec.Widths[1];
        fc_a = nn.Linear(input, w1);
        fc6 = nn.Linear(input, w1);
        fc_b = nn.Linear(2 * w1, w2);
        fc7 = nn.Linear(2 * w1, w2);
        fc_code = nn.Linear(2 * w2, architecture.CodeLength);
        drop_a1 = nn.Dropout(spec.DropoutA[0]);
        drop_b1 = nn.Dropout(spec.DropoutB[0]);
        drop_a2 = nn.Dropout(spec.DropoutA[1]);
        drop_b2 = nn.Dropout(spec.DropoutB[1]);
        RegisterComponents();
    }

    /// <summary>Hidden layers (fc_a, fc6, fc_b, fc7) then the code layer.</summary>
    public IReadOnlyList<Linear> Layers => new[] { fc_a, fc6, fc_b, fc7, fc_code };

    /// <summary>Token features [N,C1,s,s] and photo features [N,C2,s,s] → [N,K].</summary>
    public override Tensor forward(Tensor tokenFeatures, Tensor photoFeatures)
    {
        using var scope = NewDisposeScope();
        // Maps of the same spatial size are concatenated channel by channel (tokens first), then flattened; features that
        // are already flat (a global pool) are concatenated as they are.
        Tensor x = tokenFeatures.dim() == photoFeatures.dim()
            ? cat(new[] { tokenFeatures, photoFeatures }, 1).flatten(1)
            : cat(new[] { tokenFeatures.flatten(1), photoFeatures.flatten(1) }, 1);
        Tensor a = drop_a1.forward(nn.functional.relu(fc_a.forward(x)));
        Tensor b = drop_b1.forward(nn.functional.relu(fc6.forward(x)));
        x = cat(new[] { a, b }, 1);
        a = drop_a2.forward(nn.functional.relu(fc_b.forward(x)));
        b = drop_b2.forward(nn.functional.relu(fc7.forward(x)));
        return fc_code.forward(cat(new[] { a, b }, 1)).MoveToOuterDisposeScope();
    }

    /// <summary>The deploy file's fillers: N(0, 0.005) weights and biases 1 for the hidden layers, N(0, 0.01) and 0 for fc_code.</summary>
    internal void ApplyPaperFillers() => HeadFillers.Apply(Layers);
}
