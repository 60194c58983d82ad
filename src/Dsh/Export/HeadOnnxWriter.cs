using Dsh.Model;
using TorchSharp.Modules;
using static Dsh.Export.OnnxGraphBuilder;

namespace Dsh.Export;

/// <summary>Writes C2-Net's <see cref="SketchHead"/> and C1-Net's <see cref="FusionHead"/> (eval mode: no dropout) as Gemm and Relu nodes.</summary>
internal static class HeadOnnxWriter
{
    /// <summary>[N, F] → fc_a, ReLU → fc_b, ReLU → fc_code: [N, K].</summary>
    public static string Sketch(OnnxGraphBuilder g, SketchHead head, string features, string output, string prefix = "")
    {
        IReadOnlyList<Linear> layers = head.Layers;
        string x = g.Node("Relu", $"{prefix}sketch_head.relu_a", [Gemm(g, layers[0], features, $"{prefix}sketch_head.fc_a")]);
        x = g.Node("Relu", $"{prefix}sketch_head.relu_b", [Gemm(g, layers[1], x, $"{prefix}sketch_head.fc_b")]);
        return Gemm(g, layers[2], x, $"{prefix}sketch_head.fc_code", output);
    }

    /// <summary>
    /// concat(tokens, photo) → (fc_a, fc6) each ReLU → concat → (fc_b, fc7) each ReLU → concat → fc_code: [N, K]. Both
    /// inputs are the trunks' flat [N, 512] features.
    /// </summary>
    public static string Fusion(OnnxGraphBuilder g, FusionHead head, string tokenFeatures, string photoFeatures, string output, string prefix = "")
    {
        IReadOnlyList<Linear> layers = head.Layers; // fc_a, fc6, fc_b, fc7, fc_code
        string p = prefix + "fusion.";
        string x = Concat(g, p + "input", tokenFeatures, photoFeatures);
        string a = g.Node("Relu", p + "relu_a", [Gemm(g, layers[0], x, p + "fc_a")]);
        string b = g.Node("Relu", p + "relu6", [Gemm(g, layers[1], x, p + "fc6")]);
        x = Concat(g, p + "hidden1", a, b);
        a = g.Node("Relu", p + "relu_b", [Gemm(g, layers[2], x, p + "fc_b")]);
        b = g.Node("Relu", p + "relu7", [Gemm(g, layers[3], x, p + "fc7")]);
        x = Concat(g, p + "hidden2", a, b);
        return Gemm(g, layers[4], x, p + "fc_code", output);
    }

    /// <summary>Joins [N, a] and [N, b] values into [N, a + b].</summary>
    public static string Concat(OnnxGraphBuilder g, string name, string first, string second, string? output = null) =>
        Concat(g, name, [first, second], output);

    /// <summary>Joins [N, aᵢ] values into one, in order.</summary>
    public static string Concat(OnnxGraphBuilder g, string name, IReadOnlyList<string> values, string? output = null) =>
        g.Node("Concat", name, values, n => n.Attribute.Add(Int("axis", 1)), output);

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
