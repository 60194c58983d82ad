using Dsh.Export;
using Dsh.Hashing;
using Dsh.Imaging;
using Dsh.Imaging.Contours;
using Dsh.Inference;
using Dsh.Model;
using Dsh.Tests.Pretrained;
using Dsh.Tests.Support;
using Dsh.Training;
using Dsh.Trunks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dsh.Tests.Export;

/// <summary>
/// A ResNet18-profile model (ImageNet trunks; the token branch's batch norms and the heads changed from their starting
/// values, so a graph that used the wrong branch or skipped a layer would differ) exported to ONNX and run on ONNX
/// Runtime: the same outputs as TorchSharp on real PACS sketches and photos, within 1e-4 of the largest output.
/// </summary>
public sealed class DshOnnxExportTests : IClassFixture<DshOnnxExportTests.ExportedModel>
{
    private readonly ExportedModel _exported;

    public DshOnnxExportTests(ExportedModel exported) => _exported = exported;

    public sealed class ExportedModel : IDisposable
    {
        public ExportedModel()
        {
            // sketches encoded once: the equality tests compare single passes; the profile's default is tested on its own
            var network = Network(DshArchitecture.ResNet18(64) with { MirrorSketches = false });
            Model = new DshModel(network, ["dog", "elephant", "giraffe", "guitar", "horse", "house", "person"], new TrainingSummary(), new ContourTokenExtractor().Name);
            Files = DshOnnxExport.Export(Model, _folder.Path);
            Encoder = DshOnnxEncoder.Load(_folder.Path, new DshOnnxEncoderOptions { EncodeBatchSize = 3 });
        }

        private readonly TempFolder _folder = new("dsh-onnx-");

        public string FolderPath => _folder.Path;

        public DshModel Model { get; }

        public DshOnnxExportResult Files { get; }

        public DshOnnxEncoder Encoder { get; }

        public void Dispose()
        {
            Encoder.Dispose();
            Model.Dispose();
            _folder.Dispose();
        }

        /// <summary>The ImageNet trunks, perturbed as described above (the same weights for every architecture of this profile).</summary>
        public static DshNetwork Network(DshArchitecture architecture)
        {
            var network = new DshNetwork(architecture);
            network.LoadPretrainedWeights();
            Perturb(network);
            return network;
        }

        /// <summary>Token batch norms get statistics of their own; every head weight a seeded nudge.</summary>
        private static void Perturb(DshNetwork network)
        {
            using var noGrad = no_grad();
            var generator = new Generator(7);
            foreach (var (name, module) in network.named_modules())
            {
                if (module is HeldBatchNorm2d norm && name.Contains("token_", StringComparison.Ordinal))
                {
                    norm.running_mean!.copy_(randn(norm.running_mean.shape, generator: generator) * 0.2);
                    norm.running_var!.copy_(rand(norm.running_var.shape, generator: generator) + 0.5);
                    norm.weight!.copy_(rand(norm.weight.shape, generator: generator) + 0.5);
                    norm.bias!.copy_(randn(norm.bias.shape, generator: generator) * 0.1);
                }
            }
            foreach (var (name, p) in network.named_parameters().Where(p => p.name.StartsWith("sketch_head.", StringComparison.Ordinal) || p.name.StartsWith("fusion.", StringComparison.Ordinal)))
            {
                p.add_(randn(p.shape, generator: generator) * 0.01);
            }
        }
    }

    private static IReadOnlyList<string> Sketches(int perCategory)
    {
        string root = Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "data", "pacs", "sketch"));
        return Directory.GetDirectories(root).Order(StringComparer.Ordinal)
            .SelectMany(d => Directory.GetFiles(d, "*.png").Order(StringComparer.Ordinal).Take(perCategory))
            .ToArray();
    }

    [Fact]
    public void Export_makes_no_tensor_outside_a_dispose_scope()
    {
        using var folder = new TempFolder("dsh-onnx-scope-");
        var (outside, inside) = DisposeScopeProbe.TensorsMadeOutsideScopes(() => DshOnnxExport.Export(_exported.Model, folder.Path));
        Assert.True(inside > 0, "the probe counts nothing");
        Assert.Equal(0, outside);
    }

    [Fact]
    public void SketchOutputs_equal_TorchSharp_on_real_sketches()
    {
        IReadOnlyList<string> sketches = Sketches(1);
        EncodedFiles torch = _exported.Model.EmbedSketchFiles(sketches);
        EncodedFiles onnx = _exported.Encoder.EmbedSketchFiles(sketches);
        AssertSame(torch, onnx, sketches.Count);
    }

    [Fact]
    public void Mirrored_sketch_outputs_equal_TorchSharp_and_differ_from_plain_ones()
    {
        IReadOnlyList<string> sketches = Sketches(1);
        using var mirroring = DshOnnxEncoder.Load(_exported.FolderPath, new DshOnnxEncoderOptions { EncodeBatchSize = 3, MirrorSketches = true });
        EncodedFiles onnx = mirroring.EmbedSketchFiles(sketches);
        EncodedFiles plain = _exported.Encoder.EmbedSketchFiles(sketches);
        _exported.Model.MirrorSketches = true;
        try
        {
            AssertSame(_exported.Model.EmbedSketchFiles(sketches), onnx, sketches.Count);
        }
        finally
        {
            _exported.Model.MirrorSketches = false;
        }
        Assert.NotEqual(plain.Embeddings![0], onnx.Embeddings![0]);
        Assert.True(mirroring.MirrorSketches);
    }

    [Fact]
    public void PhotoOutputs_equal_TorchSharp_on_real_photos()
    {
        IReadOnlyList<string> photos = PretrainedFiles.Photos(1);
        EncodedFiles torch = _exported.Model.EmbedPhotoFiles(photos);
        EncodedFiles onnx = _exported.Encoder.EmbedPhotoFiles(photos);
        AssertSame(torch, onnx, photos.Count);
    }

    [Fact]
    public void Token_maps_at_the_sketch_side_export_and_equal_TorchSharp_on_real_photos()
    {
        // The fixture's weights in a network whose token branch reads maps at the sketch side, as every model file written
        // before the profile's 128 px maps does: a 224 px token input in the graph, the same outputs as TorchSharp, and
        // outputs other than the 128 px model's (only the token side differs).
        Assert.Equal(128, _exported.Model.Architecture.SketchTokenInputSize);
        var network = new DshNetwork(DshArchitecture.ResNet18(64) with { TokenInputSize = null });
        network.load_state_dict(_exported.Model.Network.state_dict());
        using var model = new DshModel(network, _exported.Model.Categories, new TrainingSummary(), new ContourTokenExtractor().Name);
        using var folder = new TempFolder("dsh-onnx-tokens-");
        DshOnnxExportResult files = DshOnnxExport.Export(model, folder.Path);
        var graph = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(files.PhotoEncoderPath));
        var tokens = graph.Graph.Input.Single(i => i.Name == DshOnnxExport.SketchTokensInputName);
        Assert.Equal([224L, 224L], tokens.Type.TensorType.Shape.Dim.Skip(2).Select(d => d.DimValue));
        using var encoder = DshOnnxEncoder.Load(folder.Path, new DshOnnxEncoderOptions { EncodeBatchSize = 3 });
        Assert.Null(encoder.Architecture.TokenInputSize);

        IReadOnlyList<string> photos = PretrainedFiles.Photos(1);
        EncodedFiles torch = model.EmbedPhotoFiles(photos);
        AssertSame(torch, encoder.EmbedPhotoFiles(photos), photos.Count);
        Assert.NotEqual(_exported.Model.EmbedPhotoFiles(photos).Embeddings![0], torch.Embeddings![0]);
    }

    [Fact]
    public void A_model_that_mirrors_exports_the_choices_and_its_outputs_equal_TorchSharp()
    {
        var network = new DshNetwork(_exported.Model.Architecture with { MirrorPhotos = true, MirrorSketches = true });
        network.load_state_dict(_exported.Model.Network.state_dict());
        using var model = new DshModel(network, _exported.Model.Categories, new TrainingSummary(), new ContourTokenExtractor().Name);
        using var folder = new TempFolder("dsh-onnx-mirror-photos-");
        DshOnnxExport.Export(model, folder.Path);
        using var encoder = DshOnnxEncoder.Load(folder.Path, new DshOnnxEncoderOptions { EncodeBatchSize = 3 });
        Assert.True(encoder.Architecture.MirrorPhotos);
        // sketches: both start mirroring as the model says, and the option overrides it
        Assert.True(model.MirrorSketches);
        Assert.True(encoder.MirrorSketches);
        IReadOnlyList<string> sketches = Sketches(1);
        AssertSame(model.EmbedSketchFiles(sketches), encoder.EmbedSketchFiles(sketches), sketches.Count);
        Assert.NotEqual(_exported.Encoder.EmbedSketchFiles(sketches).Embeddings![0], encoder.EmbedSketchFiles(sketches).Embeddings![0]);
        using (var sketchesOnce = DshOnnxEncoder.Load(folder.Path, new DshOnnxEncoderOptions { MirrorSketches = false }))
        {
            Assert.False(sketchesOnce.MirrorSketches);
        }

        IReadOnlyList<string> photos = PretrainedFiles.Photos(1);
        EncodedFiles torch = model.EmbedPhotoFiles(photos);
        AssertSame(torch, encoder.EmbedPhotoFiles(photos), photos.Count);
        using (FileStream p = File.OpenRead(photos[1]))
        {
            Assert.Equal(model.EncodePhoto(photos[1]), encoder.EncodePhoto(p));
        }
        var once = new DshNetwork(_exported.Model.Architecture with { MirrorPhotos = false });
        once.load_state_dict(_exported.Model.Network.state_dict());
        using var plain = new DshModel(once, _exported.Model.Categories, new TrainingSummary(), new ContourTokenExtractor().Name);
        Assert.NotEqual(plain.EmbedPhotoFiles(photos).Embeddings![0], torch.Embeddings![0]);
    }

    [Fact]
    public void A_model_of_two_members_runs_the_frozen_stages_once_and_its_outputs_equal_TorchSharp()
    {
        var network = ExportedModel.Network(DshArchitecture.ResNet18(64) with { Members = 2, MirrorSketches = false });
        using var model = new DshModel(network, _exported.Model.Categories, new TrainingSummary(), new ContourTokenExtractor().Name);
        using var folder = new TempFolder("dsh-onnx-members-");
        DshOnnxExportResult files = DshOnnxExport.Export(model, folder.Path);
        foreach (string path in new[] { files.SketchEncoderPath, files.PhotoEncoderPath })
        {
            var initializers = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).Graph.Initializer.Select(i => i.Name).ToHashSet();
            Assert.Contains("sketch_trunk.conv1.weight", initializers);
            Assert.Contains("members.0.sketch_trunk.layer4.0.conv1.weight", initializers);
            Assert.DoesNotContain("members.0.sketch_trunk.conv1.weight", initializers); // the frozen stages once, the first member's
            Assert.DoesNotContain("members.0.sketch_trunk.layer3.0.conv1.weight", initializers);
        }
        using var encoder = DshOnnxEncoder.Load(folder.Path, new DshOnnxEncoderOptions { EncodeBatchSize = 3 });
        Assert.Equal(2, encoder.Architecture.Members);
        IReadOnlyList<string> sketches = Sketches(1);
        AssertSame(model.EmbedSketchFiles(sketches), encoder.EmbedSketchFiles(sketches), sketches.Count);
        IReadOnlyList<string> photos = PretrainedFiles.Photos(1);
        EncodedFiles torch = model.EmbedPhotoFiles(photos);
        Assert.Equal(64, torch.Embeddings![0].Length);
        AssertSame(torch, encoder.EmbedPhotoFiles(photos), photos.Count);

        // INT8: the same layout quantises, and its codes stay close to the float32 codes
        using var int8Folder = new TempFolder("dsh-onnx-members-int8-");
        DshOnnxExport.ExportInt8(model, int8Folder.Path, sketches, photos);
        using var int8 = DshOnnxEncoder.Load(int8Folder.Path);
        EncodedFiles quantised = int8.EmbedPhotoFiles(photos);
        double agreement = Enumerable.Range(0, photos.Count)
            .Average(i => torch.Embeddings![i].Zip(quantised.Embeddings![i]).Count(p => p.First > 0 == p.Second > 0) / 64.0);
        Assert.True(agreement > 0.9, $"INT8 photo codes agree with float32 on {agreement:P1} of the bits");
    }

    [Fact]
    public void StreamEncoders_equal_the_file_encoders()
    {
        string sketch = Sketches(1)[2];
        string photo = PretrainedFiles.Photos(1)[3];
        float[] fromFile = _exported.Model.EmbedSketch(sketch);
        using (FileStream s = File.OpenRead(sketch))
        {
            AssertClose(fromFile, _exported.Encoder.EmbedSketch(s));
        }
        using (FileStream s = File.OpenRead(sketch))
        {
            Assert.Equal(_exported.Model.EncodeSketch(sketch), _exported.Encoder.EncodeSketch(s));
        }
        using (FileStream p = File.OpenRead(photo))
        {
            Assert.Equal(_exported.Model.EncodePhoto(photo), _exported.Encoder.EncodePhoto(p));
        }
    }

    [Fact]
    public void Byte_and_pixel_buffer_encoders_equal_the_file_encoders()
    {
        string sketch = Sketches(1)[1];
        string photo = PretrainedFiles.Photos(1)[2];
        float[] fromFile = _exported.Encoder.EmbedSketch(sketch);
        Assert.Equal(fromFile, _exported.Encoder.EmbedSketch(File.ReadAllBytes(sketch)));
        Assert.Equal(fromFile, _exported.Encoder.EmbedSketch(RgbImage.Load(sketch)));
        Assert.Equal(_exported.Encoder.EncodeSketch(sketch), _exported.Encoder.EncodeSketch(RgbImage.Load(sketch)));
        BinaryCode photoCode = _exported.Encoder.EncodePhoto(photo);
        Assert.Equal(_exported.Model.EncodePhoto(photo), photoCode);
        Assert.Equal(photoCode, _exported.Encoder.EncodePhoto(File.ReadAllBytes(photo)));
        Assert.Equal(photoCode, _exported.Encoder.EncodePhoto(RgbImage.Load(photo)));
        Assert.Throws<InvalidDataException>(() => _exported.Encoder.EncodePhoto(new byte[] { 1, 2, 3 }));
    }

    [Fact]
    public void Export_carries_the_header_and_declares_the_documented_signature()
    {
        Assert.Equal(64, _exported.Encoder.CodeLength);
        Assert.Equal(_exported.Model.Categories, _exported.Encoder.Categories);
        Assert.Equal(_exported.Model.Architecture, _exported.Encoder.Architecture);
        Assert.True(_exported.Encoder.CanEncodePhotos);
        Assert.Equal(Path.Combine(_exported.FolderPath, DshOnnxExport.SketchEncoderFileName), _exported.Files.SketchEncoderPath);
        var model = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(_exported.Files.PhotoEncoderPath));
        Assert.Equal(["photo", "sketch_tokens"], model.Graph.Input.Select(i => i.Name).Order(StringComparer.Ordinal));
        Assert.Equal("output", Assert.Single(model.Graph.Output).Name);
        Assert.Equal(OnnxGraphBuilder.OpsetVersion, Assert.Single(model.OpsetImport).Version);
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType == "Dropout");
    }

    [Fact]
    public void Bad_files_in_each_input_are_skipped_and_reported_like_the_model_does()
    {
        using var folder = new TempFolder();
        string broken = folder.File("broken.png");
        File.WriteAllText(broken, "not an image");
        string[] paths = [Sketches(1)[0], broken, folder.File("missing.png")];
        EncodedFiles torch = _exported.Model.EncodeSketchFiles(paths);
        EncodedFiles onnx = _exported.Encoder.EncodeSketchFiles(paths);
        Assert.Equal(torch.Indexes, onnx.Indexes);
        Assert.Equal(torch.Skipped.Select(s => s.Path), onnx.Skipped.Select(s => s.Path));
        Assert.Equal(torch.Codes[0], onnx.Codes[0]);
    }

    [Fact]
    public void A_sketch_only_folder_encodes_sketches_and_refuses_photos_by_name()
    {
        using var folder = new TempFolder();
        File.Copy(_exported.Files.SketchEncoderPath, folder.File(DshOnnxExport.SketchEncoderFileName));
        using var encoder = DshOnnxEncoder.Load(folder.Path);
        Assert.False(encoder.CanEncodePhotos);
        Assert.Equal(_exported.Model.EncodeSketch(Sketches(1)[0]), encoder.EncodeSketch(Sketches(1)[0]));
        var e = Assert.Throws<InvalidOperationException>(() => encoder.EncodePhotoFiles(PretrainedFiles.Photos(1)));
        Assert.Contains(DshOnnxExport.PhotoEncoderFileName, e.Message);
    }

    [Fact]
    public void Load_refuses_missing_foreign_and_damaged_files_naming_them()
    {
        using var empty = new TempFolder();
        Assert.Throws<FileNotFoundException>(() => DshOnnxEncoder.Load(empty.Path));
        Assert.Throws<DirectoryNotFoundException>(() => DshOnnxEncoder.Load(empty.File("nowhere")));

        using var foreign = new TempFolder();
        string imagenet = foreign.File(DshOnnxExport.SketchEncoderFileName);
        File.Copy(PretrainedFiles.ResNet18, imagenet);
        var notOurs = Assert.Throws<InvalidDataException>(() => DshOnnxEncoder.Load(foreign.Path));
        Assert.Contains(imagenet, notOurs.Message);
        Assert.Contains("not a Dsh ONNX export", notOurs.Message);

        using var damaged = new TempFolder();
        string cut = damaged.File(DshOnnxExport.SketchEncoderFileName);
        byte[] bytes = File.ReadAllBytes(_exported.Files.SketchEncoderPath);
        File.WriteAllBytes(cut, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        Assert.Contains(cut, Assert.Throws<InvalidDataException>(() => DshOnnxEncoder.Load(damaged.Path)).Message);

        Assert.Throws<ArgumentOutOfRangeException>(() => DshOnnxEncoder.Load(empty.Path, new DshOnnxEncoderOptions { EncodeBatchSize = 0 }));
    }

    [Fact]
    public void Models_without_ResNet18_trunks_are_refused_by_name()
    {
        using var model = new DshModel(new DshNetwork(DshArchitecture.Compact(16)), ["a", "b"], new TrainingSummary(), new ContourTokenExtractor().Name);
        using var folder = new TempFolder();
        var e = Assert.Throws<NotSupportedException>(() => DshOnnxExport.Export(model, folder.Path));
        Assert.Contains("ResNet-18", e.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    private static void AssertSame(EncodedFiles torch, EncodedFiles onnx, int count)
    {
        Assert.Equal(count, torch.Codes.Count);
        Assert.Equal(torch.Indexes, onnx.Indexes);
        for (int i = 0; i < count; i++)
        {
            AssertClose(torch.Embeddings![i], onnx.Embeddings![i]);
        }
        // Codes agree wherever the output is not within rounding of zero.
        for (int i = 0; i < count; i++)
        {
            float[] t = torch.Embeddings![i];
            float scale = t.Max(Math.Abs);
            for (int b = 0; b < t.Length; b++)
            {
                if (Math.Abs(t[b]) > 1e-4f * scale)
                {
                    Assert.Equal(torch.Codes[i][b], onnx.Codes[i][b]);
                }
            }
        }
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        float scale = expected.Max(Math.Abs);
        Assert.True(scale > 0, "all outputs are zero");
        float worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-4f * scale, $"largest difference {worst:G3} against a largest output of {scale:G3}");
    }
}
