using Dsh.Model;
using Dsh.Pretrained;
using Dsh.Trunks;

namespace Dsh.Tests.Support;

/// <summary>Short ways to write the architecture variants the tests use.</summary>
internal static class ArchitectureVariants
{
    /// <summary>The same architecture with other input sides (the photo side defaults to the sketch side).</summary>
    public static DshArchitecture WithSizes(this DshArchitecture a, int sketch, int? photo = null) => a with
    {
        SketchTrunk = a.SketchTrunk with { InputSize = sketch },
        PhotoTrunk = a.PhotoTrunk with { InputSize = photo ?? sketch },
        TokenInputSize = null, // the sketch-token maps follow the sketch side
    };

    /// <summary>A ResNet-18 architecture with other frozen-stage counts.</summary>
    public static DshArchitecture WithFrozen(this DshArchitecture a, int sketch, int photo) => a with
    {
        SketchTrunk = (ResNet18TrunkSpec)a.SketchTrunk with { FrozenStages = sketch },
        PhotoTrunk = (ResNet18TrunkSpec)a.PhotoTrunk with { FrozenStages = photo },
    };

    /// <summary>The frozen-stage counts of a ResNet-18 architecture (0 for other trunks).</summary>
    public static (int Sketch, int Photo) Frozen(this DshArchitecture a) =>
        ((a.SketchTrunk as ResNet18TrunkSpec)?.FrozenStages ?? 0, (a.PhotoTrunk as ResNet18TrunkSpec)?.FrozenStages ?? 0);

    /// <summary>The Caffe sketch trunk spec of a Paper or Compact architecture.</summary>
    public static CaffeSketchTrunkSpec CaffeSketch(this DshArchitecture a) => (CaffeSketchTrunkSpec)a.SketchTrunk;

    /// <summary>The AlexNet photo trunk spec of a Paper or Compact architecture.</summary>
    public static AlexNetPhotoTrunkSpec AlexNetPhoto(this DshArchitecture a) => (AlexNetPhotoTrunkSpec)a.PhotoTrunk;

    /// <summary>The same Caffe architecture with other channel counts.</summary>
    public static DshArchitecture WithChannels(this DshArchitecture a, int[] sketch, int[] photo) => a with
    {
        SketchTrunk = a.CaffeSketch() with { Channels = sketch },
        PhotoTrunk = a.AlexNetPhoto() with { Channels = photo },
    };

    /// <summary>The same architecture with other hidden widths in both heads.</summary>
    public static DshArchitecture WithHeadWidths(this DshArchitecture a, int[] sketchHead, int[] fusion) => a with
    {
        SketchHead = a.SketchHead with { Widths = sketchHead },
        FusionHead = a.FusionHead with { Widths = fusion },
    };

    /// <summary>The ResNet-18 sketch trunk of a network.</summary>
    public static ResNet18Trunk ResNetSketchTrunk(this DshNetwork n) => (ResNet18Trunk)n.SketchTrunk;

    /// <summary>The ResNet-18 photo trunk of a network.</summary>
    public static ResNet18Trunk ResNetPhotoTrunk(this DshNetwork n) => (ResNet18Trunk)n.PhotoTrunk;

    /// <summary>The Caffe sketch trunk of a Paper or Compact network.</summary>
    public static CaffeSketchTrunk CaffeSketchTrunk(this DshNetwork n) => (CaffeSketchTrunk)n.SketchTrunk;

    /// <summary>The AlexNet photo trunk of a Paper or Compact network.</summary>
    public static AlexNetPhotoTrunk AlexNetPhotoTrunk(this DshNetwork n) => (AlexNetPhotoTrunk)n.PhotoTrunk;
}
