namespace Dsh.Training;

/// <summary>The element type the frozen stages' cached output is kept in (<see cref="DshTrainerOptions.FrozenStageCachePrecision"/>).</summary>
public enum CachePrecision
{
    /// <summary>32-bit floats: the values the frozen stages computed, exactly.</summary>
    Float32,

    /// <summary>
    /// IEEE half precision (11 significant bits): half the memory; each value is rounded once when it is cached and
    /// widened back to 32 bits when a batch is served.
    /// </summary>
    Float16,
}
