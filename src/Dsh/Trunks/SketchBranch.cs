namespace Dsh.Trunks;

/// <summary>Which input the shared sketch trunk is processing (selects the batch-norm layers).</summary>
public enum SketchBranch
{
    /// <summary>Free-hand sketches (C2-Net).</summary>
    Sketch,

    /// <summary>Sketch-tokens: edge maps of photos (the token stream of C1-Net).</summary>
    Token,
}
