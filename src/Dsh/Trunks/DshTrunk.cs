using Dsh.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Trunks;

/// <summary>
/// The module every trunk is: images [N, 3, S, S] → features [N, C, H, W] (see <see cref="TrunkSpec.FeatureShape"/>).
/// A trunk in the sketch role serves sketches and sketch-tokens (<see cref="SketchBranch"/>), which may keep separate
/// batch-norm statistics; <see cref="forward(Tensor)"/> is the sketch branch. A trunk whose first stages do not learn
/// splits its forward at that boundary, so the trainer can compute the frozen part once per image and cache it:
/// <c>forward(x, b)</c> equals <c>ForwardFromFrozen(ForwardFrozen(x, b), b)</c>.
/// </summary>
public abstract class DshTrunk : nn.Module<Tensor, Tensor>
{
    /// <summary>Names the module (the name is not part of any state_dict key).</summary>
    protected DshTrunk(string name) : base(name)
    {
    }

    /// <summary>The sketch branch of <see cref="forward(Tensor, SketchBranch)"/>.</summary>
    public override Tensor forward(Tensor input) => forward(input, SketchBranch.Sketch);

    /// <summary>Images → features on the given branch, in the current mode, with autograd.</summary>
    public abstract Tensor forward(Tensor input, SketchBranch branch);

    /// <summary>Whether some leading part of the trunk does not learn (then the trainer caches its output).</summary>
    public virtual bool HasFrozenPart => false;

    /// <summary>
    /// The output of the frozen part, in eval mode without gradients; the images themselves when nothing is frozen. A
    /// trunk already in eval mode must change no module state here (concurrent encoders rely on it).
    /// </summary>
    public virtual Tensor ForwardFrozen(Tensor input, SketchBranch branch) => input;

    /// <summary>The rest of the trunk, from <see cref="ForwardFrozen"/>'s output to features, with autograd.</summary>
    public virtual Tensor ForwardFromFrozen(Tensor boundary, SketchBranch branch) => forward(boundary, branch);

    /// <summary>
    /// Initialises the weights with the paper's Caffe fillers (Gaussian weights, constant biases), when the trunk has
    /// them (<see cref="TrunkSpec.SupportsPaperFillers"/>).
    /// </summary>
    /// <exception cref="NotSupportedException">The trunk has no paper fillers.</exception>
    public virtual void ApplyPaperFillers() =>
        throw new NotSupportedException($"{GetType().Name} has no paper fillers; use DshInitialization.TorchDefault.");
}
