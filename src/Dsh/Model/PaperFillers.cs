using TorchSharp;
using TorchSharp.Modules;

namespace Dsh;

/// <summary>The official deploy files' weight fillers (Gaussian std / constant bias per layer).</summary>
internal static class PaperFillers
{
    /// <summary>Re-initialises every layer of <paramref name="network"/> as the deploy files specify.</summary>
    public static void Apply(DshNetwork network)
    {
        using var _ = torch.no_grad();
        IReadOnlyList<Conv2d> sketchConvs = network.SketchTrunk.Convolutions;
        double[] sketchBias = { 0, 1, 1, 1, 1 };
        for (int i = 0; i < sketchConvs.Count; i++)
        {
            Fill(sketchConvs[i].weight!, sketchConvs[i].bias, 0.01, sketchBias[i]);
        }
        IReadOnlyList<Conv2d> photoConvs = network.PhotoTrunk.Convolutions;
        double[] photoBias = { 0, 1, 0, 1, 1 };
        for (int i = 0; i < photoConvs.Count; i++)
        {
            Fill(photoConvs[i].weight!, photoConvs[i].bias, 0.01, photoBias[i]);
        }
        FillHead(network.SketchHead.Layers);
        FillHead(network.FusionHead.Layers);
    }

    /// <summary>Hidden layers N(0, 0.005) with bias 1; the last (code) layer N(0, 0.01) with bias 0.</summary>
    private static void FillHead(IReadOnlyList<Linear> layers)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            bool last = i == layers.Count - 1;
            Fill(layers[i].weight!, layers[i].bias, last ? 0.01 : 0.005, last ? 0 : 1);
        }
    }

    private static void Fill(torch.Tensor weight, torch.Tensor? bias, double std, double biasValue)
    {
        torch.nn.init.normal_(weight, 0, std);
        if (bias is not null)
        {
            torch.nn.init.constant_(bias, biasValue);
        }
    }
}
