using Dsh.Hashing;
using Dsh.Imaging.Contours;
using Dsh.Imaging;
using Dsh.Tests.Support;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp;

namespace Dsh.Tests.Training;

public sealed class DshModelEncodingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dsh-encode-").FullName;
    private readonly DshModel _model = TrainingFixtures.Fit(TrainingFixtures.Options(epochs: 1), TrainingFixtures.Data());

    public void Dispose()
    {
        _model.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string Write(string name, Image<Rgb24> image)
    {
        string path = Path.Combine(_dir, name);
        image.SaveAsPng(path);
        image.Dispose();
        return path;
    }

    [Fact]
    public void FilesAndInMemoryImages_GiveTheSameCodes_AndBatchesMatchSingles()
    {
        _model.TokenExtractor = new ContourTokenExtractor(); // the fixture model was "trained" with a synthetic one
        var random = new Random(3);
        string[] sketches = Enumerable.Range(0, 5).Select(i => Write($"s{i}.png", ShapeImages.Sketch(ShapeImages.Categories[i % 4], 80, random))).ToArray();
        string[] photos = Enumerable.Range(0, 5).Select(i => Write($"p{i}.png", ShapeImages.Photo(ShapeImages.Categories[i % 4], 80, random))).ToArray();
        _model.EncodeBatchSize = 2;

        var sketchCodes = _model.EncodeSketches(sketches);
        var photoCodes = _model.EncodePhotos(photos);
        Assert.Equal((5, 16), (sketchCodes.Count, sketchCodes.CodeLength));
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(_model.EncodeSketch(sketches[i]), sketchCodes[i]);
            Assert.Equal(_model.EncodePhoto(photos[i]), photoCodes[i]);
            using var image = DshImaging.Load(photos[i]);
            Assert.Equal(photoCodes[i], _model.EncodePhoto(image));
            using var sketchImage = DshImaging.Load(sketches[i]);
            Assert.Equal(sketchCodes[i], _model.EncodeSketch(sketchImage));
        }
        var index = _model.BuildIndex(photos.Select((p, i) => ((long)(100 + i), p)));
        Assert.Equal(5, index.Count);
        Assert.True(index.TryGetCode(102, out var code) && code == photoCodes[2]);
        // Any IHammingIndex can be filled: a multi-index hash index answers as the flat index does.
        var mih = _model.BuildIndex(photos.Select((p, i) => ((long)(100 + i), p)), new MultiIndexHashIndex(_model.CodeLength));
        Assert.Equal(5, mih.Count);
        for (int i = 0; i < sketches.Length; i++)
        {
            Assert.Equal(index.Search(sketchCodes[i], 3), mih.Search(sketchCodes[i], 3));
        }
        Assert.Equal("index", Assert.Throws<ArgumentException>(() => _model.BuildIndex(photos.Select((p, i) => ((long)i, p)), new HammingIndex(_model.CodeLength + 8))).ParamName);
        Assert.Throws<OperationCanceledException>(() => _model.BuildIndex(photos.Select((p, i) => ((long)i, p)), new HammingIndex(_model.CodeLength), new CancellationToken(true)));
    }

    [Fact]
    public void BadInputs_AreClearErrors()
    {
        Assert.Throws<FileNotFoundException>(() => _model.EncodeSketch(Path.Combine(_dir, "missing.png")));
        string corrupt = Path.Combine(_dir, "corrupt.png");
        File.WriteAllBytes(corrupt, new byte[] { 0x89, 0x50, 0x4E, 0x47, 1, 2, 3 });
        Assert.Contains("corrupt.png", Assert.Throws<InvalidDataException>(() => _model.EncodeSketch(corrupt)).Message);
        Assert.Equal("imagePaths", Assert.Throws<ArgumentException>(() => _model.EncodeSketches(Array.Empty<string>())).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => _model.EncodeBatchSize = 0);
        // The fixture model records a token extractor the library does not know: photos need it set explicitly.
        string photo = Write("p.png", ShapeImages.Photo("circle", 64, new Random(1)));
        Assert.Contains("synthetic", Assert.Throws<InvalidOperationException>(() => _model.EncodePhoto(photo)).Message);
        _model.TokenExtractor = new ContourTokenExtractor();
        Assert.Throws<ArgumentException>(() => _model.BuildIndex(new[] { (1L, photo), (1L, photo) }));
    }
}
