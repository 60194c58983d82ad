using Dsh.Native;
using TorchSharp.Modules;
using TorchSharp;

namespace Dsh.Trunks;

/// <summary>The Caffe deploy files' Gaussian weight and constant bias fillers.</summary>
public static class CaffeFillers
{
    /// <summary>Fills each convolution's weight with N(0, 0.01) and its bias with the matching value.</summary>
    public static void Fill(IReadOnlyList<Conv2d> convolutions, IReadOnlyList<double> biases)
    {
        using var _ = torch.no_grad();
        for (int i = 0; i < convolutions.Count; i++)
        {
            Fill(convolutions[i].weight!, convolutions[i].bias, 0.01, biases[i]);
        }
    }

    /// <summary>Fills <paramref name="weight"/> with N(0, <paramref name="std"/>) and <paramref name="bias"/> with <paramref name="biasValue"/>.</summary>
    public static void Fill(torch.Tensor weight, torch.Tensor? bias, double std, double biasValue)
    {
        using var _ = torch.no_grad();
        torch.nn.init.normal_(weight, 0, std);
        if (bias is not null)
        {
            bias.FillInPlace(biasValue);
        }
    }
}
