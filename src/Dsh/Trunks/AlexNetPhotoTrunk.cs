using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Trunks;

/// <summary>
/// C1-Net's photo trunk: AlexNet (CaffeNet order) conv1 → ReLU → pool → LRN → conv2 (grouped) → ReLU → pool →
/// LRN → conv3 → ReLU → conv4 (grouped) → ReLU → conv5 (grouped) → ReLU → pool5 (3/2, padding
/// <see cref="AlexNetPhotoTrunkSpec.Pool5Padding"/>; the deploy file's <c>pool5_new</c>). Field names match
/// CaffeNet's layer names so ImageNet weights can be copied by name.
/// </summary>
public sealed class AlexNetPhotoTrunk : DshTrunk
{
#pragma warning disable IDE1006 // field names are the state_dict keys
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly Conv2d conv3;
    private readonly Conv2d conv4;
    private readonly Conv2d conv5;
    private readonly LocalResponseNorm norm;
    private readonly MaxPool2d pool;
    private readonly MaxPool2d pool5;
#pragma warning restore IDE1006

    /// <summary>Builds the trunk <paramref name="spec"/> describes.</summary>
    public AlexNetPhotoTrunk(AlexNetPhotoTrunkSpec spec) : base(nameof(AlexNetPhotoTrunk))
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        IReadOnlyList<int> c = spec.Channels;
        int g = spec.Groups;
        conv1 = nn.Conv2d(3, c[0], spec.Conv1Kernel, stride: spec.Conv1Stride);
        conv2 = nn.Conv2d(c[0], c[1], 5, padding: 2, groups: g);
        conv3 = nn.Conv2d(c[1], c[2], 3, padding: 1);
        conv4 = nn.Conv2d(c[2], c[3], 3, padding: 1, groups: g);
        conv5 = nn.Conv2d(c[3], c[4], 3, padding: 1, groups: g);
        norm = nn.LocalResponseNorm(spec.LrnSize, spec.LrnAlpha, spec.LrnBeta, spec.LrnK);
        pool = nn.MaxPool2d(3, stride: 2);
        pool5 = nn.MaxPool2d(3, stride: 2, padding: spec.Pool5Padding);
        RegisterComponents();
    }

    /// <summary>conv1…conv5, in order.</summary>
    public IReadOnlyList<Conv2d> Convolutions => new[] { conv1, conv2, conv3, conv4, conv5 };

    /// <summary>[N,3,P,P] → [N,C,s,s] (256×7×7 in the paper profile).</summary>
    public override Tensor forward(Tensor photos, SketchBranch branch)
    {
        using var scope = NewDisposeScope();
        Tensor x = norm.forward(pool.forward(nn.functional.relu(conv1.forward(photos))));
        x = norm.forward(pool.forward(nn.functional.relu(conv2.forward(x))));
        x = nn.functional.relu(conv3.forward(x));
        x = nn.functional.relu(conv4.forward(x));
        x = pool5.forward(nn.functional.relu(conv5.forward(x)));
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>The deploy file's fillers: N(0, 0.01) weights, biases 1 for conv2, conv4 and conv5, 0 for the others.</summary>
    public override void ApplyPaperFillers() => CaffeFillers.Fill(Convolutions, [0, 1, 0, 1, 1]);
}
