using Dsh.Trunks;
using TorchSharp.Modules;

namespace Dsh.Model;

/// <summary>The deploy files' fillers of the fully connected heads.</summary>
internal static class HeadFillers
{
    /// <summary>N(0, 0.005) weights and biases 1 for the hidden layers; N(0, 0.01) and 0 for the last (the code layer).</summary>
    public static void Apply(IReadOnlyList<Linear> layers)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            bool last = i == layers.Count - 1;
            CaffeFillers.Fill(layers[i].weight!, layers[i].bias, last ? 0.01 : 0.005, last ? 0 : 1);
        }
    }
}
