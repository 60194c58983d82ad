namespace Dsh.Model;

/// <summary>How the sketch-token branch normalises the shared sketch convolutions' outputs.</summary>
public enum TokenBatchNorm
{
    /// <summary>
    /// The token branch has its own batch-norm layers (scale, shift and running statistics), as in the official
    /// deploy files (<c>BN1-S_p</c> … are separate layers): sketches and photo edge maps are different
    /// distributions, and one set of running statistics would mix them. The default.
    /// </summary>
    PerBranch,

    /// <summary>The token branch reuses the sketch branch's batch-norm layers (1,664 fewer parameters in the paper profile).</summary>
    Shared,
}
