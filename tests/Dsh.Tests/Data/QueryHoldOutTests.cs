namespace Dsh.Tests.Data;

public sealed class QueryHoldOutTests
{
    [Fact]
    public void HoldsOutExactlyNPerCategory_WhenSinglesAllowIt()
    {
        SbirDataset data = SplitFixtures.Make(categories: 3, singles: 10, groupSizes: [5, 7]);

        SbirDataset split = data.WithQueries(8, seed: 1);

        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(8, split.QuerySketches.Count(s => s.Label == c));
            Assert.Equal(14, split.TrainingSketches.Count(s => s.Label == c));
        }
        SplitFixtures.AssertGroupsWhole(split);
        Assert.Equal(data.Photos, split.Photos);
        Assert.Equal(data.Sketches.Select(s => s.Path), split.Sketches.Select(s => s.Path));
        Assert.Empty(data.QuerySketches);
        Assert.Equal(data.Report.SkippedFiles, split.Report.SkippedFiles);
    }

    [Fact]
    public void SameSeed_SameQueries_OtherSeed_OtherQueries()
    {
        SbirDataset data = SplitFixtures.Make(categories: 2, singles: 40, groupSizes: [3, 3, 4]);

        string[] a = data.WithQueries(10, 7).QuerySketches.Select(s => s.Path!).ToArray();
        string[] b = data.WithQueries(10, 7).QuerySketches.Select(s => s.Path!).ToArray();
        string[] c = data.WithQueries(10, 8).QuerySketches.Select(s => s.Path!).ToArray();

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void KnownChoice_IsStableAcrossRuntimes()
    {
        // Pins the algorithm (new Random(int) + FNV-1a + Fisher–Yates): a change here changes published splits.
        SbirDataset data = SplitFixtures.Make(categories: 1, singles: 10, groupSizes: []);

        string[] chosen = data.WithQueries(3, 42).QuerySketches.Select(s => Path.GetFileName(s.Path)!).ToArray();

        Assert.Equal(KnownChoice, chosen);
    }

    private static readonly string[] KnownChoice = ["003.png", "007.png", "008.png"];

    [Fact]
    public void ACategorysChoice_DoesNotDependOnOtherCategories()
    {
        SbirDataset two = SplitFixtures.Make(categories: 2, singles: 20, groupSizes: [4]);
        SbirDataset three = SplitFixtures.Make(categories: 3, singles: 20, groupSizes: [4]);

        Assert.Equal(
            two.WithQueries(5, 3).QuerySketches.Where(s => s.Label == 1).Select(s => s.Path),
            three.WithQueries(5, 3).QuerySketches.Where(s => s.Label == 1).Select(s => s.Path));
    }

    [Fact]
    public void OnlyGroups_TakesWholeGroups_AndMayExceedN()
    {
        SbirDataset data = SplitFixtures.Make(categories: 1, singles: 0, groupSizes: [5, 5, 5, 5]);

        SbirDataset split = data.WithQueries(7, seed: 2);

        Assert.Equal(10, split.QuerySketches.Count());
        SplitFixtures.AssertGroupsWhole(split);
    }

    [Fact]
    public void GroupsThatCannotLeaveATrainingSketch_Throw_NamingTheCategory()
    {
        SbirDataset data = SplitFixtures.Make(categories: 2, singles: 0, groupSizes: [6]);

        var e = Assert.Throws<ArgumentException>(() => data.WithQueries(2, seed: 0));

        Assert.Contains("'c0'", e.Message);
        Assert.Contains("groups", e.Message);
    }

    [Fact]
    public void TooFewSketches_Throws_NamingTheCategory()
    {
        SbirDataset data = SplitFixtures.Make(categories: 2, singles: 5, groupSizes: []);
        SbirDataset uneven = SbirDataset.FromItems(
            ["big", "small"],
            data.Sketches.Select((s, i) => s with { Label = i < 7 ? 0 : 1 }),
            data.Photos);

        var e = Assert.Throws<ArgumentException>(() => uneven.WithQueries(3, seed: 0));

        Assert.Contains("'small' has 3 sketch(es)", e.Message);
        Assert.Equal("sketchesPerCategory", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.WithQueries(-1, 0));
    }

    [Fact]
    public void Zero_OrARepeat_ReplacesEarlierQueries()
    {
        SbirDataset data = SplitFixtures.Make(categories: 2, singles: 12, groupSizes: []);

        SbirDataset once = data.WithQueries(4, seed: 5);
        SbirDataset again = once.WithQueries(2, seed: 6);

        Assert.Empty(once.WithQueries(0, 1).QuerySketches);
        Assert.Equal(4, again.QuerySketches.Count());
        Assert.Equal(data.WithQueries(2, 6).Sketches, again.Sketches);
    }
}
