// TEMPORARY: stand-ins for types being written on other branches (data, imaging); deleted at the merge.
namespace Dsh;

/// <summary>Stub.</summary>
public sealed record AugmentationOptions
{
    /// <summary>Stub.</summary>
    public static AugmentationOptions Default { get; } = new();

    /// <summary>Stub.</summary>
    public static AugmentationOptions None { get; } = new();
}
