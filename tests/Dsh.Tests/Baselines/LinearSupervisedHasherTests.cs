using Dsh.Baselines;
using Dsh.Hashing;
using static TorchSharp.torch;

namespace Dsh.Tests.Baselines;

public class LinearSupervisedHasherTests
{
    [Fact]
    public void TinyCase_ItemsGetTheirCategoryCodes()
    {
        using var scope = NewDisposeScope();
        // 1-d features, two categories at the two ends, different offsets per domain.
        Tensor sketches = tensor(new float[] { -2, -1, 1, 2 }, new long[] { 4, 1 });
        Tensor photos = tensor(new float[] { 9, 10, 12, 13 }, new long[] { 4, 1 });
        int[] labels = { 0, 0, 1, 1 };
        var hasher = LinearSupervisedHasher.Fit(sketches, labels, photos, labels, classCount: 2, codeLength: 4);

        Assert.Equal(4, hasher.MinimumClassCodeDistance); // with 64 draws of two 4-bit codes, complementary ones turn up
        Assert.Equal(4, BinaryCode.Distance(hasher.ClassCode(0), hasher.ClassCode(1)));
        BinaryCodeSet s = hasher.EncodeSketches(sketches), p = hasher.EncodePhotos(photos);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(hasher.ClassCode(labels[i]), s[i]);
            Assert.Equal(hasher.ClassCode(labels[i]), p[i]);
        }
        // The photo domain's own mean (11) separates its categories, not the sketches' (0).
        Assert.Equal(hasher.ClassCode(0), hasher.EncodePhotos(tensor(new float[] { 10.9f }, new long[] { 1, 1 }))[0]);
        Assert.Equal(hasher.ClassCode(1), hasher.EncodePhotos(tensor(new float[] { 11.1f }, new long[] { 1, 1 }))[0]);
    }

    [Fact]
    public void CategoryCodes_AreFarApart_AndDeterministic()
    {
        using var scope = NewDisposeScope();
        var domains = new SyntheticDomains { ClassCount = 8, Dimensions = 16 };
        var (s, sl) = domains.Sketches(4, seed: 1);
        var (p, pl) = domains.Photos(4, seed: 2);
        var a = LinearSupervisedHasher.Fit(s, sl, p, pl, 8, 32, new LinearHashOptions { Seed = 7 });
        var b = LinearSupervisedHasher.Fit(s, sl, p, pl, 8, 32, new LinearHashOptions { Seed = 7 });
        var single = LinearSupervisedHasher.Fit(s, sl, p, pl, 8, 32, new LinearHashOptions { Seed = 7, CodeDraws = 1 });

        int min = int.MaxValue;
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(a.ClassCode(i), b.ClassCode(i));
            for (int j = i + 1; j < 8; j++)
            {
                min = Math.Min(min, BinaryCode.Distance(a.ClassCode(i), a.ClassCode(j)));
            }
        }
        Assert.Equal(min, a.MinimumClassCodeDistance);
        Assert.True(a.MinimumClassCodeDistance >= single.MinimumClassCodeDistance);
        Assert.True(a.MinimumClassCodeDistance >= 10, $"min distance {a.MinimumClassCodeDistance}");
        Assert.True(a.EncodeSketches(s).Words.SequenceEqual(b.EncodeSketches(s).Words));
        Assert.True(a.SketchRidge > 0 && a.PhotoRidge > 0);
    }

    [Fact]
    public void Domains_MayHaveDifferentFeatureSizes()
    {
        using var scope = NewDisposeScope();
        var (s, sl) = new SyntheticDomains { ClassCount = 3, Dimensions = 12 }.Sketches(5, seed: 1);
        var (p, pl) = new SyntheticDomains { ClassCount = 3, Dimensions = 20 }.Photos(5, seed: 2);
        var hasher = LinearSupervisedHasher.Fit(s, sl, p, pl, 3, 16);
        Assert.Equal((12, 20, 16, 3), (hasher.SketchFeatureDimensions, hasher.PhotoFeatureDimensions, hasher.CodeLength, hasher.ClassCount));
        Assert.Equal(15, hasher.EncodeSketches(s).Count);
        Assert.Equal(15, hasher.EncodePhotos(p).Count);
        Assert.Throws<ArgumentException>(() => hasher.EncodeSketches(p));
    }

    [Fact]
    public void BadInput_Throws()
    {
        using var scope = NewDisposeScope();
        Tensor x = randn(6, 4);
        int[] labels = { 0, 1, 2, 0, 1, 2 };
        Tensor nan = x.clone();
        nan[1, 2] = tensor(float.NaN);
        var hasher = LinearSupervisedHasher.Fit(x, labels, x, labels, 3, 8);

        Assert.Contains("outside", Assert.Throws<ArgumentException>(() => LinearSupervisedHasher.Fit(x, new[] { 0, 1, 3, 0, 1, 2 }, x, labels, 3, 8)).Message);
        Assert.Throws<ArgumentException>(() => LinearSupervisedHasher.Fit(x, labels, x, new[] { 0, 1, -1, 0, 1, 2 }, 3, 8));
        Assert.Contains("5 labels for 6", Assert.Throws<ArgumentException>(() => LinearSupervisedHasher.Fit(x, labels[..5], x, labels, 3, 8)).Message);
        Assert.Throws<ArgumentException>(() => LinearSupervisedHasher.Fit(x, labels, x, labels, 0, 8));
        Assert.Throws<ArgumentException>(() => LinearSupervisedHasher.Fit(x, labels, x, labels, 3, 0));
        Assert.Throws<ArgumentException>(() => LinearSupervisedHasher.Fit(nan, labels, x, labels, 3, 8));
        Assert.Throws<ArgumentException>(() => LinearSupervisedHasher.Fit(x[..1], new[] { 0 }, x, labels, 3, 8));
        Assert.Contains("same", Assert.Throws<ArgumentException>(() => LinearSupervisedHasher.Fit(ones(6, 4), labels, x, labels, 3, 8)).Message);
        Assert.Throws<ArgumentException>(() => LinearSupervisedHasher.Fit(x, labels, x, labels, 3, 8, new LinearHashOptions { Alpha = 0 }));
        Assert.Throws<ArgumentException>(() => LinearSupervisedHasher.Fit(x, labels, x, labels, 3, 8, new LinearHashOptions { Alpha = double.NaN }));
        Assert.Throws<ArgumentException>(() => LinearSupervisedHasher.Fit(x, labels, x, labels, 3, 8, new LinearHashOptions { CodeDraws = 0 }));
        Assert.Throws<ArgumentNullException>(() => LinearSupervisedHasher.Fit(x, null!, x, labels, 3, 8));
        Assert.Throws<ArgumentException>(() => hasher.EncodePhotos(randn(2, 5)));
        Assert.Throws<ArgumentException>(() => hasher.EncodeSketches(nan));
        Assert.Throws<ArgumentOutOfRangeException>(() => hasher.ClassCode(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => hasher.ClassCode(-1));
    }
}
