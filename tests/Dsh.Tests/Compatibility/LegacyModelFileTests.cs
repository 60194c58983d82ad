namespace Dsh.Tests.Compatibility;

/// <summary>
/// Model files written by an earlier commit (TestData/LegacyFiles, see its README.md) still load, with the same
/// header fields and state-dict layout, and encode the committed probe images to exactly the committed codes and
/// (almost) the committed real outputs. Only stable public names are used, plus one internal helper that prepares an
/// image the way <c>EncodeSketch(path)</c> does (<see cref="LegacyFiles.RealOutputs"/>).
/// </summary>
public sealed class LegacyModelFileTests
{
    /// <summary>
    /// Real outputs may differ from the committed ones by this fraction of the largest |output| of the same image
    /// (float32 kernels differ slightly across CPUs and libtorch builds; the codes must not).
    /// </summary>
    private const double RelativeTolerance = 1e-5;

    private static ModelExpectation Expected(string file) =>
        LegacyFiles.ReadExpectations().Models.Single(m => m.File == file);

    [Theory]
    [InlineData(LegacyFiles.TinyModel)]
    [InlineData(LegacyFiles.TinySharedModel)]
    public void LegacyModelFile_LoadsWithItsHeaderAndStateLayout(string file)
    {
        ModelExpectation expected = Expected(file);
        using DshModel model = DshModel.Load(LegacyFiles.File(file));

        Assert.Equal(expected.CodeLength, model.CodeLength);
        Assert.Equal(expected.Categories, model.Categories);
        Assert.NotNull(model.TrainingOptions);
        Assert.Equal(expected.Epochs, model.TrainingOptions.Epochs);
        Assert.Equal(expected.Seed, model.TrainingOptions.Seed);
        Assert.Equal(expected.Steps, model.Summary.Steps);
        Assert.Equal(model.Architecture, model.TrainingOptions.Architecture);
        Assert.Equal(LegacyFiles.ReadLayout(LegacyFiles.LayoutFile(file)), LegacyFiles.Layout(model.Network));
    }

    [Theory]
    [InlineData(LegacyFiles.TinyModel)]
    [InlineData(LegacyFiles.TinySharedModel)]
    public void LegacyModelFile_GivesTheCommittedCodes(string file)
    {
        ModelExpectation expected = Expected(file);
        using DshModel model = DshModel.Load(LegacyFiles.File(file));

        foreach (ImageExpectation sketch in expected.Sketches)
        {
            Dsh.Hashing.BinaryCode code = model.EncodeSketch(LegacyFiles.File(sketch.Image));
            Assert.True(sketch.Bits == LegacyFiles.Bits(code), $"{file}, sketch {sketch.Image}: {LegacyFiles.Bits(code)}, committed {sketch.Bits}");
            Assert.Equal(sketch.Hex, Convert.ToHexString(code.ToBytes()));
        }
        foreach (ImageExpectation photo in expected.Photos)
        {
            // One photo through a stream, the others through their paths: both entry points decode the same way.
            Dsh.Hashing.BinaryCode code;
            if (photo == expected.Photos[0])
            {
                using FileStream stream = File.OpenRead(LegacyFiles.File(photo.Image));
                code = model.EncodePhoto(stream);
            }
            else
            {
                code = model.EncodePhoto(LegacyFiles.File(photo.Image));
            }
            Assert.True(photo.Bits == LegacyFiles.Bits(code), $"{file}, photo {photo.Image}: {LegacyFiles.Bits(code)}, committed {photo.Bits}");
            Assert.Equal(photo.Hex, Convert.ToHexString(code.ToBytes()));
        }
    }

    [Theory]
    [InlineData(LegacyFiles.TinyModel)]
    [InlineData(LegacyFiles.TinySharedModel)]
    public void LegacyModelFile_GivesTheCommittedRealOutputs(string file)
    {
        ModelExpectation expected = Expected(file);
        using DshModel model = DshModel.Load(LegacyFiles.File(file));

        foreach ((ImageExpectation image, bool photo) in expected.Sketches.Select(s => (s, false)).Concat(expected.Photos.Select(p => (p, true))))
        {
            float[] actual = LegacyFiles.RealOutputs(model, LegacyFiles.File(image.Image), photo);
            AssertClose(image.Outputs, actual, $"{file}, {image.Image}");
        }
    }

    internal static void AssertClose(float[] expected, float[] actual, string what, double relativeTolerance = RelativeTolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(v => Math.Abs((double)v));
        double worst = expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
        Assert.True(worst <= relativeTolerance * scale,
            $"{what}: outputs differ by up to {worst:G3} (tolerance {relativeTolerance:G2} × {scale:G3}); " +
            $"committed [{string.Join(", ", expected)}], now [{string.Join(", ", actual)}]");
    }
}
