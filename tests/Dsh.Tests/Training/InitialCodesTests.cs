using Dsh.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dsh.Tests.Training;

public class InitialCodesTests
{
    private static readonly int[] PhotoLabels = { 0, 1, 2, 0, 1, 2, 2 };
    private static readonly int[] SketchLabels = { 2, 2, 1, 0, 0 };

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Fact]
    public void Random_IsTheSeededDrawOfEveryBit_AsBefore()
    {
        using var scope = NewDisposeScope();
        var (photos, sketches) = InitialCodes.Create(CodeInitialization.Random, 9, 16, 3, PhotoLabels, SketchLabels);
        using var generator = new Generator((ulong)SeedMixer.Mix(9, -1));
        Assert.True(Same(photos, DshSolvers.RandomCodes(16, 7, generator)));
        Assert.True(Same(sketches, DshSolvers.RandomCodes(16, 5, generator)));
    }

    [Fact]
    public void CategoryCodes_StartEveryItemAtItsCategorysCode_TheSameForBothDomains()
    {
        using var scope = NewDisposeScope();
        var (photos, sketches) = InitialCodes.Create(CodeInitialization.CategoryCodes, 9, 16, 3, PhotoLabels, SketchLabels);
        Assert.Equal(new long[] { 16, 7 }, photos.shape);
        Assert.Equal(new long[] { 16, 5 }, sketches.shape);
        Assert.Equal(ScalarType.Float32, photos.dtype);
        Assert.True(photos.abs().eq(1).all().item<bool>());
        Tensor Code(Tensor codes, int[] labels, int category) => codes[TensorIndex.Colon, Array.IndexOf(labels, category)];
        for (int c = 0; c < 3; c++)
        {
            Tensor code = Code(photos, PhotoLabels, c);
            for (int i = 0; i < PhotoLabels.Length; i++)
            {
                Assert.Equal(PhotoLabels[i] == c, Same(photos[TensorIndex.Colon, i], code));
            }
            for (int j = 0; j < SketchLabels.Length; j++)
            {
                Assert.Equal(SketchLabels[j] == c, Same(sketches[TensorIndex.Colon, j], code));
            }
        }
        // seeded: the same seed gives the same codes, another seed others
        var (again, _) = InitialCodes.Create(CodeInitialization.CategoryCodes, 9, 16, 3, PhotoLabels, SketchLabels);
        Assert.True(Same(again, photos));
        Assert.False(Same(InitialCodes.Create(CodeInitialization.CategoryCodes, 10, 16, 3, PhotoLabels, SketchLabels).PhotoCodes, photos));
    }

    [Fact]
    public void CategoryCodes_AreTheFarthestApartOfTheDraws()
    {
        using var scope = NewDisposeScope();
        int[] labels = { 0, 1, 2, 3, 4, 5, 6 };
        var (codes, _) = InitialCodes.Create(CodeInitialization.CategoryCodes, 3, 64, 7, labels, labels);
        Tensor distances = codes.T.matmul(codes).neg().add(64).div(2).add(eye(7).mul(65)); // (K − ⟨a, b⟩) / 2 off the diagonal
        int closest = (int)distances.min().item<float>();
        var (chosen, minimumDistance) = Dsh.Baselines.CategoryCodes.Choose(7, 64, InitialCodes.CategoryCodeDraws, new Random(SeedMixer.MixInt(3, -2)));
        Assert.True(Same(codes.T, chosen.to(ScalarType.Float32))); // the linear hash's choice of category codes
        Assert.Equal(minimumDistance, closest);
        // one draw of 7 random 64-bit codes has a pair closer than 24 bits with probability ≈ 0.4; the best of 64 does not
        Assert.InRange(closest, 24, 37);
    }

    [Fact]
    public void TheOption_IsValidated_AndAResumeUnderAnotherStartIsRefused()
    {
        var compact = new DshTrainerOptions { Architecture = DshArchitecture.Compact(64) };
        var e = Assert.Throws<ArgumentException>(() => (compact with { InitialCodes = (CodeInitialization)5 }).Validated());
        Assert.Contains(nameof(DshTrainerOptions.InitialCodes), e.Message);
        using var classVectors = eye(3, dtype: ScalarType.Float64);
        var random = TrainingRunSettings.From(compact, classVectors, "contour");
        var category = TrainingRunSettings.From(compact with { InitialCodes = CodeInitialization.CategoryCodes }, classVectors, "contour");
        Assert.Equal(new[] { "InitialCodes" }, random.Differences(category));
        Assert.Empty(random.Differences(TrainingFixtures.WithoutField(random, nameof(TrainingRunSettings.InitialCodes))));
    }
}
