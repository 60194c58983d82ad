using Dsh.Export;
using Dsh.Hashing;
using Dsh.Inference;
using Dsh.Model;
using Dsh.Tests.Support;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using Xunit.Abstractions;

namespace Dsh.Tests.Export;

/// <summary>
/// <see cref="DshOnnxExport.ExportInt8"/> on the model of <see cref="DshOnnxExportTests"/>: calibrated on some real PACS
/// sketches and photos, compared with the float32 export on others; the graph's layout, and that ONNX Runtime turns
/// it into integer convolutions.
/// </summary>
public sealed class DshOnnxInt8ExportTests : IClassFixture<DshOnnxInt8ExportTests.Int8Export>
{
    private readonly Int8Export _int8;
    private readonly ITestOutputHelper _output;

    public DshOnnxInt8ExportTests(Int8Export int8, ITestOutputHelper output)
    {
        _int8 = int8;
        _output = output;
    }

    public sealed class Int8Export : IDisposable
    {
        private readonly TempFolder _folder = new("dsh-onnx-int8-");

        public Int8Export()
        {
            Float32 = new DshOnnxExportTests.ExportedModel();
            Files = DshOnnxExport.ExportInt8(Float32.Model, _folder.Path, Pacs("sketch", 3, skip: 0), Pacs("photo", 3, skip: 0),
                new Dictionary<string, string> { ["dsh.source"] = "test" });
            Encoder = DshOnnxEncoder.Load(_folder.Path);
        }

        public DshOnnxExportTests.ExportedModel Float32 { get; }

        public DshOnnxExportResult Files { get; }

        public DshOnnxEncoder Encoder { get; }

        public void Dispose()
        {
            Encoder.Dispose();
            Float32.Dispose();
            _folder.Dispose();
        }
    }

    /// <summary><paramref name="perCategory"/> files of each PACS category after the first <paramref name="skip"/>, in name order.</summary>
    private static IReadOnlyList<string> Pacs(string domain, int perCategory, int skip)
    {
        string root = Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "data", "pacs", domain));
        return Directory.GetDirectories(root).Order(StringComparer.Ordinal)
            .SelectMany(d => Directory.GetFiles(d).Order(StringComparer.Ordinal).Skip(skip).Take(perCategory))
            .ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Int8_codes_agree_with_the_float32_export_on_images_it_was_not_calibrated_on(bool photos)
    {
        IReadOnlyList<string> held = Pacs(photos ? "photo" : "sketch", 4, skip: 10);
        DshOnnxEncoder float32 = _int8.Float32.Encoder, int8 = _int8.Encoder;
        EncodedFiles f = photos ? float32.EmbedPhotoFiles(held) : float32.EmbedSketchFiles(held);
        EncodedFiles q = photos ? int8.EmbedPhotoFiles(held) : int8.EmbedSketchFiles(held);
        Assert.Equal(held.Count, q.Codes.Count);
        double error = 0, norm = 0;
        long differing = 0;
        for (int i = 0; i < held.Count; i++)
        {
            for (int j = 0; j < f.Codes.CodeLength; j++)
            {
                error += Math.Pow(f.Embeddings![i][j] - q.Embeddings![i][j], 2);
                norm += Math.Pow(f.Embeddings[i][j], 2);
            }
            differing += BinaryCode.Distance(f.Codes[i], q.Codes[i]);
        }
        double relative = Math.Sqrt(error / norm), flipped = differing / (double)(held.Count * f.Codes.CodeLength);
        _output.WriteLine($"{held.Count} {(photos ? "photos" : "sketches")}: relative error {relative:F4}, code bits differing {flipped:P2}");
        // Measured: about 0.07 / 0.03 relative error and 1.3 % / 0.9 % of the bits for sketches / photos on this model,
        // whose outputs (perturbed heads, never trained) sit closer to 0 than a trained model's.
        Assert.InRange(relative, 1e-4, 0.15); // above 1e-4: the graph really is quantized
        Assert.InRange(flipped, 0, 0.04);
    }

    [Fact]
    public void The_graph_quantizes_every_convolution_and_keeps_the_heads_float()
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(_int8.Files.PhotoEncoderPath));
        var producers = model.Graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name);
        List<NodeProto> convolutions = [.. model.Graph.Node.Where(n => n.OpType == "Conv")];
        Assert.Equal(2 * 22, convolutions.Count); // two ResNet-18 trunks of the imported layout (2-2-2-3 blocks, docs/pretrained.md)
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType == "BatchNormalization");
        foreach (NodeProto conv in convolutions)
        {
            Assert.All(conv.Input, input => Assert.Equal("DequantizeLinear", producers[input].OpType));
            Assert.Equal((int)TensorProto.Types.DataType.Int8, initializers[producers[conv.Input[1]].Input[0]].DataType);
            Assert.Equal((int)TensorProto.Types.DataType.Int32, initializers[producers[conv.Input[2]].Input[0]].DataType);
        }
        Assert.All(model.Graph.Node.Where(n => n.OpType == "Gemm"),
            gemm => Assert.Equal((int)TensorProto.Types.DataType.Float, initializers[gemm.Input[1]].DataType));
        Assert.Contains(model.MetadataProps, p => p.Key == DshOnnxExport.QuantizationMetadataKey && p.Value.StartsWith("int8", StringComparison.Ordinal));
        Assert.Contains(model.MetadataProps, p => p.Key == "dsh.source" && p.Value == "test");
        Assert.Equal(_int8.Float32.Model.Architecture, _int8.Encoder.Architecture);
    }

    [Fact]
    public void OnnxRuntime_runs_the_convolutions_in_integers()
    {
        using var folder = new TempFolder();
        string optimized = folder.File("optimized.onnx");
        using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED, OptimizedModelFilePath = optimized })
        using (new InferenceSession(_int8.Files.SketchEncoderPath, options))
        {
        }
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(optimized));
        var ops = model.Graph.Node.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());
        _output.WriteLine(string.Join(", ", ops.Select(p => $"{p.Key} {p.Value}")));
        Assert.Equal(22, ops.GetValueOrDefault("QLinearConv"));
        Assert.Equal(8, ops.GetValueOrDefault("QLinearAdd")); // every residual sum but the last, which feeds the float pooling
        Assert.False(ops.ContainsKey("Conv"));
    }

    [Fact]
    public void Folding_the_batch_norms_keeps_the_outputs()
    {
        var exported = ModelProto.Parser.ParseFrom(File.ReadAllBytes(_int8.Float32.Files.SketchEncoderPath));
        ModelProto folded = OnnxInt8Quantizer.FoldBatchNorms(exported);
        Assert.DoesNotContain(folded.Graph.Node, n => n.OpType == "BatchNormalization");
        var random = new Random(5);
        float[] input = [.. Enumerable.Range(0, 2 * 3 * 224 * 224).Select(_ => (float)(random.NextDouble() * 4 - 2))];
        float[] Run(ModelProto model)
        {
            using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
            using var session = new InferenceSession(model.ToByteArray(), options);
            using var value = OrtValue.CreateTensorValueFromMemory(input, [2, 3, 224, 224]);
            using var outputs = session.Run(new RunOptions(), [DshOnnxExport.SketchInputName], [value], [DshOnnxExport.OutputName]);
            return outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }
        float[] before = Run(exported), after = Run(folded);
        float scale = before.Max(Math.Abs);
        Assert.All(before.Zip(after), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-4 * scale, $"{p.First} vs {p.Second}"));
    }

    [Theory]
    [InlineData(0f, 2.55f, 0.01f, 0)]        // a ReLU output: zero point 0, so uint8 clips exactly where ReLU does
    [InlineData(-1f, 1f, 2f / 255, 128)]     // symmetric: zero point in the middle (127.5 rounds to even)
    [InlineData(-5f, -1f, 5f / 255, 255)]    // all negative: widened to hold 0
    [InlineData(0.5f, 1f, 1f / 255, 0)]      // all positive: widened to hold 0
    [InlineData(0f, 0f, 1f, 0)]              // always 0
    public void Activation_parameters_cover_the_range_and_zero(float min, float max, float scale, int zeroPoint)
    {
        var (s, z) = OnnxInt8Quantizer.Uint8Parameters(min, max);
        Assert.Equal(scale, s, 1e-6f);
        Assert.Equal(zeroPoint, z);
    }

    [Fact]
    public void Export_refuses_missing_or_unreadable_calibration_images()
    {
        using var folder = new TempFolder();
        DshModel model = _int8.Float32.Model;
        Assert.Throws<ArgumentException>(() => DshOnnxExport.ExportInt8(model, folder.Path, [], Pacs("photo", 1, 0)));
        string broken = folder.File("broken.png");
        File.WriteAllText(broken, "not an image");
        var e = Assert.Throws<InvalidDataException>(() => DshOnnxExport.ExportInt8(model, folder.File("out"), [broken], Pacs("photo", 1, 0)));
        Assert.Contains("calibration sketches", e.Message);
        Assert.Contains(broken, e.Message);
        Assert.False(File.Exists(Path.Combine(folder.File("out"), DshOnnxExport.SketchEncoderFileName)));
    }
}
