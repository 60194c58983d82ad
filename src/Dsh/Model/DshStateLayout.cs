using Dsh.Trunks;

namespace Dsh.Model;

/// <summary>
/// The <c>state_dict</c> of a <see cref="DshNetwork"/> computed from its architecture alone (nothing is built): each
/// trunk's entries from its spec under <c>sketch_trunk.</c> / <c>photo_trunk.</c>, then the heads'. Loading a model
/// file checks its budget against this before any tensor is allocated. A network of several members holds the first
/// member's entries, then each further member's under <c>members.{m − 2}.</c>, less its trunks' frozen stages
/// (<see cref="IsSharedByMembers"/>): those are the first member's.
/// </summary>
internal static class DshStateLayout
{
    public static IReadOnlyList<StateEntry> Of(DshArchitecture architecture)
    {
        IReadOnlyList<StateEntry> member = OfMember(architecture.MemberArchitecture);
        return
        [
            .. member,
            .. Enumerable.Range(0, architecture.Members - 1).SelectMany(m =>
                member.Where(e => !IsSharedByMembers(architecture.MemberArchitecture, e.Name)).Select(e => e.Prefixed($"members.{m}."))),
        ];
    }

    /// <summary>
    /// Whether a member's entry <paramref name="name"/> (a key of a one-member network of <paramref name="member"/>) lies
    /// in a trunk's frozen stages (<see cref="TrunkSpec.IsFrozenStateEntry"/>): every member computes the same there, so
    /// the members after the first share the first one's tensors and hold no entry of their own.
    /// </summary>
    public static bool IsSharedByMembers(DshArchitecture member, string name) =>
        (name.StartsWith(SketchTrunkPrefix, StringComparison.Ordinal) && member.SketchTrunk.IsFrozenStateEntry(name[SketchTrunkPrefix.Length..]))
        || (name.StartsWith(PhotoTrunkPrefix, StringComparison.Ordinal) && member.PhotoTrunk.IsFrozenStateEntry(name[PhotoTrunkPrefix.Length..]));

    private const string SketchTrunkPrefix = "sketch_trunk.", PhotoTrunkPrefix = "photo_trunk.";

    /// <summary>The <c>state_dict</c> of a one-member network of <paramref name="a"/>.</summary>
    public static IReadOnlyList<StateEntry> OfMember(DshArchitecture a)
    {
        bool tokenBranch = a.TokenBatchNorm == TokenBatchNorm.PerBranch;
        long sketchFeatures = a.SketchTrunk.FeatureShape.Length;
        FeatureShape tokens = a.SketchTrunk.FeatureShape, photos = a.PhotoTrunk.FeatureShape;
        long fusionInput = checked(((long)tokens.Channels + photos.Channels) * photos.Height * photos.Width);
        return
        [
            .. a.SketchTrunk.StateLayout(tokenBranch).Select(e => e.Prefixed(SketchTrunkPrefix)),
            .. a.PhotoTrunk.StateLayout(tokenBranch: false).Select(e => e.Prefixed(PhotoTrunkPrefix)),
            .. a.SketchHead.StateLayout(sketchFeatures, a.CodeLength).Select(e => e.Prefixed("sketch_head.")),
            .. a.FusionHead.StateLayout(fusionInput, a.CodeLength).Select(e => e.Prefixed("fusion.")),
        ];
    }
}
