using Dsh.Trunks;

namespace Dsh.Model;

/// <summary>
/// The <c>state_dict</c> of a <see cref="DshNetwork"/> computed from its architecture alone (nothing is built): each
/// trunk's entries from its spec under <c>sketch_trunk.</c> / <c>photo_trunk.</c>, then the heads'. Loading a model
/// file checks its budget against this before any tensor is allocated. A network of several members holds the first
/// member's entries, then each further member's under <c>members.{m − 2}.</c>.
/// </summary>
internal static class DshStateLayout
{
    public static IReadOnlyList<StateEntry> Of(DshArchitecture architecture)
    {
        IReadOnlyList<StateEntry> member = OfMember(architecture.MemberArchitecture);
        return
        [
            .. member,
            .. Enumerable.Range(0, architecture.Members - 1).SelectMany(m => member.Select(e => e.Prefixed($"members.{m}."))),
        ];
    }

    private static IReadOnlyList<StateEntry> OfMember(DshArchitecture a)
    {
        bool tokenBranch = a.TokenBatchNorm == TokenBatchNorm.PerBranch;
        long sketchFeatures = a.SketchTrunk.FeatureShape.Length;
        FeatureShape tokens = a.SketchTrunk.FeatureShape, photos = a.PhotoTrunk.FeatureShape;
        long fusionInput = checked(((long)tokens.Channels + photos.Channels) * photos.Height * photos.Width);
        return
        [
            .. a.SketchTrunk.StateLayout(tokenBranch).Select(e => e.Prefixed("sketch_trunk.")),
            .. a.PhotoTrunk.StateLayout(tokenBranch: false).Select(e => e.Prefixed("photo_trunk.")),
            .. a.SketchHead.StateLayout(sketchFeatures, a.CodeLength).Select(e => e.Prefixed("sketch_head.")),
            .. a.FusionHead.StateLayout(fusionInput, a.CodeLength).Select(e => e.Prefixed("fusion.")),
        ];
    }
}
