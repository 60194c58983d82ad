namespace Dsh.Trunks;

/// <summary>Where a trunk sits in the network: it decides, among other things, the padding colour of its inputs.</summary>
public enum TrunkRole
{
    /// <summary>The trunk of C2-Net whose convolutions serve sketches and sketch-tokens alike.</summary>
    Sketch,

    /// <summary>The photo trunk of C1-Net.</summary>
    Photo,
}
