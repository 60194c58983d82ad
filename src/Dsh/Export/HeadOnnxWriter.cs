using Dsh.Model;
using TorchSharp.Modules;
using static Dsh.Export.OnnxGraphBuilder;

namespace Dsh.Export;

/// <summary>Writes C2-Net's <see cref="SketchHead"/> and C1-Net's <see cref="FusionHead"/> (eval mode: no dropout) as Gemm and Relu nodes.</summary>
internal static class HeadOnnxWriter
{
    /// <summary>[N, F] → fc_a, ReLU → fc_b, ReLU → fc_code: [N, K].</summary>
    public static string Sketch(OnnxGraphBuilder g, SketchHead head, string features, string output)
    {
        IReadOnlyList<Linear> layers = head.Layers;
        string x = g.Node("Relu", "sketch_head.relu_a", [Gemm(g, layers[0], features, "sketch_head.fc_a")]);
        x = g.Node("Relu", "sketch_head.relu_b", [Gemm(g, layers[1], x, "sketch_head.fc_b")]);
        return Gemm(g, layers[2], x, "sketch_head.fc_code", output);
    }

    /// <summary>
    /// concat(tokens, photo) → (fc_a, fc6) each ReLU → concat → (fc_b, fc7) each ReLU → concat → fc_code: [N, K]. Both
    /// inputs are the trunks' flat [N, 512] features.
    /// </summary>
    public static string Fusion(OnnxGraphBuilder g, FusionHead head, string tokenFeatures, string photoFeatures, string output)
    {
        IReadOnlyList<Linear> layers = head.Layers; // fc_a, fc6, fc_b, fc7, fc_code
        string x = Concat(g, "fusion.input", tokenFeatures, photoFeatures);
        string a = g.Node("Relu", "fusion.relu_a", [Gemm(g, layers[0], x, "fusion.fc_a")]);
        string b = g.Node("Relu", "fusion.relu6", [Gemm(g, layers[1], x, "fusion.fc6")]);
        x = Concat(g, "fusion.hidden1", a, b);
        a = g.Node("Relu", "fusion.relu_b", [Gemm(g, layers[2], x, "fusion.fc_b")]);
        b = g.Node("Relu", "fusion.relu7", [Gemm(g, layers[3], x, "fusion.fc7")]);
        x = Concat(g, "fusion.hidden2", a, b);
        return Gemm(g, layers[4], x, "fusion.fc_code", output);
    }

    private static string Concat(OnnxGraphBuilder g, string name, string first, string second) =>
        g.Node("Concat", name, [first, second], n => n.Attribute.Add(Int("axis", 1)));

    private static string Gemm(OnnxGraphBuilder g, Linear layer, string input, string name, string? output = null)
    {
        string weight = g.Initializer(name + ".weight", layer.weight!);
        var inputs = new List<string> { input, weight };
        if (layer.bias is { } bias)
        {
            inputs.Add(g.Initializer(name + ".bias", bias));
        }
        return g.Node("Gemm", name, inputs, n => n.Attribute.Add(Int("transB", 1)), output);
    }
}
