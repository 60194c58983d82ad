using BenchmarkDotNet.Attributes;
using Dsh.Imaging;
using Dsh.Imaging.Contours;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Dsh.Benchmarks.Model;

/// <summary>
/// What one image costs before the network, on one thread: decoding a bundled PACS photo (JPEG) and sketch (PNG),
/// letterboxing and normalising them into input planes, and the photo's sketch-token map (contour extraction) with its
/// planes. With <see cref="EncoderRuntimeBenchmarks"/> (the networks), the breakdown of one photo's and one sketch's way
/// in docs/performance.md.
/// </summary>
[WarmupCount(2)]
[IterationCount(9)]
public class ImagePipelineBenchmarks
{
    private static readonly DshArchitecture Architecture = DshArchitecture.ResNet18(64);
    private readonly ContourTokenExtractor _extractor = new();
    private byte[] _photoBytes = [], _sketchBytes = [];
    private Image<Rgb24>? _photo, _token;
    private float[] _planes = [];

    [GlobalSetup]
    public void Setup()
    {
        string root = Path.Combine(RepoRoot(), "samples", "data", "pacs-mini", "test");
        _photoBytes = File.ReadAllBytes(Directory.GetFiles(Path.Combine(root, "photo", "dog")).Order(StringComparer.Ordinal).First());
        _sketchBytes = File.ReadAllBytes(Directory.GetFiles(Path.Combine(root, "sketch", "dog")).Order(StringComparer.Ordinal).First());
        _photo = Decode(_photoBytes);
        _token = _extractor.ExtractImage(_photo);
        _planes = new float[Architecture.PhotoInput.FloatsPerImage];
    }

    [Benchmark]
    public int DecodePhoto()
    {
        using Image<Rgb24> photo = Decode(_photoBytes);
        return photo.Width;
    }

    [Benchmark]
    public float PhotoPlanes()
    {
        TensorWriter.Write(_photo!, Architecture.PhotoInput, _planes);
        return _planes[0];
    }

    [Benchmark]
    public int SketchTokens()
    {
        using Image<Rgb24> token = _extractor.ExtractImage(_photo!);
        return token.Width;
    }

    [Benchmark]
    public float TokenPlanes()
    {
        TensorWriter.Write(_token!, Architecture.SketchTokenInput, _planes);
        return _planes[0];
    }

    [Benchmark]
    public float SketchDecodePrepareAndPlanes()
    {
        using Image<Rgb24> raw = Decode(_sketchBytes);
        using Image<Rgb24> prepared = DshImaging.PrepareSketch(raw);
        TensorWriter.Write(prepared, Architecture.SketchInput, _planes);
        return _planes[0];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _photo?.Dispose();
        _token?.Dispose();
    }

    private static Image<Rgb24> Decode(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return ImageDecoding.Decode(stream, "photo");
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dsh.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("Dsh.sln not found above " + AppContext.BaseDirectory);
    }
}
