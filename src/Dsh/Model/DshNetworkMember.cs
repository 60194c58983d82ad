using Dsh.Trunks;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Model;

/// <summary>
/// One member of a <see cref="DshNetwork"/> with several (<see cref="DshArchitecture.Members"/>): its own sketch trunk,
/// sketch head, photo trunk and fusion head, built from <see cref="DshArchitecture.MemberArchitecture"/>. Its
/// <c>state_dict</c> keys are a single network's (<c>sketch_trunk.</c>, <c>sketch_head.</c>, <c>photo_trunk.</c>,
/// <c>fusion.</c>). Only the learning stages of its trunks ever run: the frozen stages' output comes from the network's
/// first member (<see cref="DshNetwork.SketchBoundary"/>), and the network points this member's frozen-stage tensors at
/// the first member's, so they take no memory of their own and no place in model files.
/// </summary>
internal sealed class DshNetworkMember : nn.Module
{
#pragma warning disable IDE1006 // field names are the state_dict keys
    private readonly DshTrunk sketch_trunk;
    private readonly SketchHead sketch_head;
    private readonly DshTrunk photo_trunk;
    private readonly FusionHead fusion;
#pragma warning restore IDE1006

    /// <summary>Builds the member for <paramref name="member"/> (an architecture of one member) and initialises it.</summary>
    public DshNetworkMember(DshArchitecture member) : base(nameof(DshNetworkMember))
    {
        Parts = MemberParts.Build(member);
        (sketch_trunk, sketch_head, photo_trunk, fusion) = (Parts.SketchTrunk, Parts.SketchHead, Parts.PhotoTrunk, Parts.Fusion);
        RegisterComponents();
    }

    /// <summary>The member's four modules.</summary>
    public MemberParts Parts { get; }
}

/// <summary>The four modules of one member of a <see cref="DshNetwork"/>, and the two forwards from the frozen boundaries.</summary>
internal sealed record MemberParts(DshTrunk SketchTrunk, SketchHead SketchHead, DshTrunk PhotoTrunk, FusionHead Fusion)
{
    /// <summary>
    /// Builds the trunks from their specs, then the heads, and initialises them as <see cref="DshArchitecture.Initialization"/>
    /// says (the order a single network has always drawn its random numbers in).
    /// </summary>
    public static MemberParts Build(DshArchitecture member)
    {
        DshTrunk sketchTrunk = member.SketchTrunk.Build(tokenBranch: member.TokenBatchNorm == TokenBatchNorm.PerBranch);
        DshTrunk photoTrunk = member.PhotoTrunk.Build(tokenBranch: false);
        var parts = new MemberParts(sketchTrunk, new SketchHead(member), photoTrunk, new FusionHead(member));
        if (member.Initialization == DshInitialization.PaperFillers)
        {
            parts.SketchTrunk.ApplyPaperFillers();
            parts.PhotoTrunk.ApplyPaperFillers();
            parts.SketchHead.ApplyPaperFillers();
            parts.Fusion.ApplyPaperFillers();
        }
        return parts;
    }

    /// <summary>C2-Net from the sketch trunk's frozen boundary to [N, K_member], with autograd.</summary>
    public Tensor SketchFrom(Tensor boundary) => SketchHead.forward(SketchTrunk.ForwardFromFrozen(boundary, SketchBranch.Sketch));

    /// <summary>C1-Net from both frozen boundaries to [N, K_member], with autograd: token trunk and photo trunk, fused tokens first.</summary>
    public Tensor PhotoFrom(Tensor photoBoundary, Tensor tokenBoundary)
    {
        using var scope = NewDisposeScope();
        Tensor tokens = SketchTrunk.ForwardFromFrozen(tokenBoundary, SketchBranch.Token);
        Tensor image = PhotoTrunk.ForwardFromFrozen(photoBoundary, SketchBranch.Sketch);
        return Fusion.forward(tokens, image).MoveToOuterDisposeScope();
    }
}
