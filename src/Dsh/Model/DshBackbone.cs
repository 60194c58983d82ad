namespace Dsh;

/// <summary>Which convolutional trunks a <see cref="DshArchitecture"/> builds.</summary>
public enum DshBackbone
{
    /// <summary>
    /// The paper's Caffe trunks: C2-Net's sketch convolutions and the CaffeNet (AlexNet) photo trunk, trained from
    /// scratch or from weights given in <see cref="DshTrainerOptions.InitialWeightsPath"/>
    /// (<see cref="DshArchitecture.Paper"/>, <see cref="DshArchitecture.Compact"/>).
    /// </summary>
    Caffe,

    /// <summary>
    /// Two ImageNet ResNet-18 trunks imported from the NuGet-shipped ONNX model: one for photos, one whose convolutions
    /// serve sketches and sketch-tokens with batch norm per branch (<see cref="DshArchitecture.ResNet18"/>).
    /// </summary>
    ResNet18,
}
