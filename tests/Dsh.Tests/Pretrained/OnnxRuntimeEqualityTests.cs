using Dsh.Imaging;
using Dsh.Pretrained;
using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Dsh.Tests.Pretrained;

/// <summary>
/// Real PACS photos through ONNX Runtime (ResNetPreprocess.onnx, then ResNet18.onnx) and through Dsh
/// (<see cref="ResNetPreprocessing"/>, then the imported <see cref="ResNet18Trunk"/>): the same numbers.
/// </summary>
public sealed class OnnxRuntimeEqualityTests(ImportedTrunkFixture fixture, ITestOutputHelper output) : IClassFixture<ImportedTrunkFixture>
{
    private const int PerCategory = 2; // 7 categories → 14 photos

    [Fact]
    public void Preprocessing_matches_ResNetPreprocess_onnx()
    {
        using var scope = NewDisposeScope();
        using Tensor mean = ResNetPreprocessing.LoadMeanImage(PretrainedFiles.Preprocess);
        (Tensor rgb, Tensor ours) = Prepare(mean);
        using var session = Session(PretrainedFiles.Preprocess);
        double worst = 0;
        for (int i = 0; i < rgb.shape[0]; i++)
        {
            float[] reference = Run(session, rgb[i].unsqueeze(0));
            float[] mine = ours[i].contiguous().data<float>().ToArray();
            Assert.Equal(reference.Length, mine.Length);
            worst = Math.Max(worst, reference.Zip(mine, (a, b) => (double)Math.Abs(a - b)).Max());
        }
        output.WriteLine($"{rgb.shape[0]} photos: max |ours − ORT| = {worst:E2} (values are 0–255 minus the mean)");
        Assert.Equal(0.0, worst);
    }

    [Fact]
    public void Features_match_ResNet18_onnx_on_real_photos()
    {
        using var scope = NewDisposeScope();
        using Tensor mean = ResNetPreprocessing.LoadMeanImage(PretrainedFiles.Preprocess);
        (_, Tensor input) = Prepare(mean);
        Tensor ours;
        using (no_grad())
        {
            ours = fixture.Trunk.forward(input);
        }
        using var session = Session(PretrainedFiles.ResNet18);
        double worstRelative = 0, worstElement = 0, worstAbsolute = 0;
        for (int i = 0; i < input.shape[0]; i++)
        {
            float[] reference = Run(session, input[i].unsqueeze(0));
            float[] mine = ours[i].data<float>().ToArray();
            Assert.Equal(512, reference.Length);
            double scale = reference.Max(v => Math.Abs((double)v));
            double absolute = reference.Zip(mine, (a, b) => Math.Abs((double)a - b)).Max();
            // Per element, relative to max(|reference|, 1% of the image's largest feature).
            double element = reference.Zip(mine, (a, b) => Math.Abs((double)a - b) / Math.Max(Math.Abs(a), 0.01 * scale)).Max();
            worstAbsolute = Math.Max(worstAbsolute, absolute);
            worstRelative = Math.Max(worstRelative, absolute / scale);
            worstElement = Math.Max(worstElement, element);
            Assert.True(scale > 0.1, $"photo {i}: features all ≈ 0 (max {scale})");
        }
        output.WriteLine($"{input.shape[0]} photos: max |Δ| = {worstAbsolute:E2}; max |Δ| / max|feature| = {worstRelative:E2}; " +
                         $"per element (floor 1% of max) = {worstElement:E2}");
        Assert.True(worstRelative <= 1e-4, $"max relative error {worstRelative:E2} > 1e-4");
    }

    /// <summary>The photos as RGB planes 0–255 (the ONNX preprocessing input) and as our trunk input.</summary>
    private static (Tensor Rgb, Tensor Input) Prepare(Tensor mean)
    {
        IReadOnlyList<string> paths = PretrainedFiles.Photos(PerCategory);
        Assert.True(paths.Count >= 8, $"only {paths.Count} PACS photos found");
        List<Image<Rgb24>> images = paths.Select(DshImaging.Load).ToList();
        try
        {
            Tensor rgb = ResNetPreprocessing.ToRgbTensor(images, ResNetPreprocessing.NativeSize, ResNetPreprocessing.PadColor(mean));
            Tensor input = ResNetPreprocessing.ToTensor(images, mean);
            return (rgb, input);
        }
        finally
        {
            images.ForEach(i => i.Dispose());
        }
    }

    private static InferenceSession Session(string path)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 2, InterOpNumThreads = 1 };
        return new InferenceSession(path, options);
    }

    /// <summary>Runs a batch-1 [1, 3, 224, 224] tensor through <paramref name="session"/>; returns its single output, flattened.</summary>
    private static float[] Run(InferenceSession session, Tensor input)
    {
        float[] data = input.contiguous().data<float>().ToArray();
        using OrtValue value = OrtValue.CreateTensorValueFromMemory(data, input.shape);
        string inputName = session.InputNames.Single(), outputName = session.OutputNames.Single();
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions, [inputName], [value], [outputName]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
