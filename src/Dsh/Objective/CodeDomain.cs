namespace Dsh.Objective;

/// <summary>Which side of the cross-view problem a code matrix belongs to.</summary>
internal enum CodeDomain
{
    Photo,
    Sketch,
}
