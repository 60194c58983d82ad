using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Model;

/// <summary>
/// C2-Net's fully connected head (deploy names <c>fc_a-S</c>, <c>fc_b-S</c>, <c>fc_p-S</c>): flattened trunk →
/// fc_a, ReLU, dropout → fc_b, ReLU, dropout → fc_code (linear, K outputs).
/// </summary>
public sealed class SketchHead : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the state_dict keys
    private readonly Linear fc_a;
    private readonly Dropout drop_a;
    private readonly Linear fc_b;
    private readonly Dropout drop_b;
    private readonly Linear fc_code;
#pragma warning restore IDE1006

    /// <summary>Builds the head for <paramref name="architecture"/>.</summary>
    public SketchHead(DshArchitecture architecture) : base(nameof(SketchHead))
    {
        SketchHeadSpec spec = architecture.SketchHead;
        fc_a = nn.Linear(architecture.SketchFeatureLength, spec.Widths[0]);
        drop_a = nn.Dropout(spec.Dropout[0]);
        fc_b = nn.Linear(spec.Widths[0], spec.Widths[1]);
        drop_b = nn.Dropout(spec.Dropout[1]);
        fc_code = nn.Linear(spec.Widths[1], architecture.CodeLength);
        RegisterComponents();
    }

    /// <summary>The hidden layers then the code layer.</summary>
    public IReadOnlyList<Linear> Layers => new[] { fc_a, fc_b, fc_code };

    /// <summary>[N,C,s,s] → [N,K].</summary>
    public override Tensor forward(Tensor features)
    {
        using var scope = NewDisposeScope();
        Tensor x = features.flatten(1);
        x = drop_a.forward(nn.functional.relu(fc_a.forward(x)));
        x = drop_b.forward(nn.functional.relu(fc_b.forward(x)));
        return fc_code.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>The deploy file's fillers: N(0, 0.005) weights and biases 1 for the hidden layers, N(0, 0.01) and 0 for fc_code.</summary>
    internal void ApplyPaperFillers() => HeadFillers.Apply(Layers);
}
