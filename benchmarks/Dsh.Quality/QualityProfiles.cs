namespace Dsh.Quality;

/// <summary>The network profiles the quality commands train (<c>resnet18</c>, <c>compact</c>, <c>paper</c>), by name.</summary>
internal static class QualityProfiles
{
    /// <summary>The architecture of <paramref name="profile"/> at <paramref name="bits"/> bits.</summary>
    /// <exception cref="ArgumentException">An unknown profile name.</exception>
    public static DshArchitecture Architecture(string profile, int bits) => profile switch
    {
        "resnet18" => DshArchitecture.ResNet18(bits),
        "compact" => DshArchitecture.Compact(bits),
        "paper" => DshArchitecture.Paper(bits),
        _ => throw new ArgumentException($"Unknown profile {profile}: resnet18, compact or paper."),
    };
}
