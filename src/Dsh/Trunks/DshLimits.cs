namespace Dsh.Trunks;

/// <summary>Bounds shared by every part of an architecture.</summary>
public static class DshLimits
{
    /// <summary>Upper bound of every size and width (keeps a crafted model header from allocating absurd networks).</summary>
    public const int MaxDimension = 65_536;
}
