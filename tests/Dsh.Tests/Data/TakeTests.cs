using Dsh.Data;

namespace Dsh.Tests.Data;

public sealed class TakeTests
{
    [Fact]
    public void CapsEachCategory_KeepsOrderAndSplits_UpdatesCounts()
    {
        SbirDataset data = SplitFixtures.Make(categories: 3, singles: 30, groupSizes: [5, 5], extraPhotos: 10).WithQueries(10, 1);

        SbirDataset small = data.Take(8, 4, seed: 3);

        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(8, small.Sketches.Count(s => s.Label == c));
            Assert.Equal(4, small.Photos.Count(s => s.Label == c));
            Assert.Equal(2, small.QuerySketches.Count(s => s.Label == c));
        }
        Assert.Equal((24, 12), (small.Report.SketchCount, small.Report.PhotoCount));
        Assert.Equal(data.Categories, small.Categories);
        Assert.All(small.Sketches, s => Assert.Contains(s, data.Sketches));
        int[] order = small.Sketches.Select(s => IndexOf(data.Sketches, s)).ToArray();
        Assert.Equal(order.Order(), order);
    }

    [Fact]
    public void SmallCategories_AreKeptWhole_AndSeedsAreDeterministic()
    {
        SbirDataset data = SplitFixtures.Make(categories: 2, singles: 3, groupSizes: [], extraPhotos: 2);

        Assert.Equal(data.Sketches, data.Take(10, 10, 0).Sketches);
        Assert.Equal(data.Take(2, 1, 4).Sketches, data.Take(2, 1, 4).Sketches);
        Assert.Equal(data.Take(2, 1, 4).Photos, data.Take(2, 1, 4).Photos);
    }

    [Fact]
    public void KeepsGroupsWhole_WhenTheBudgetAllows()
    {
        SbirDataset data = SplitFixtures.Make(categories: 1, singles: 0, groupSizes: [3, 3, 3, 3]);

        SbirDataset small = data.Take(6, 2, seed: 9);

        Assert.Equal(6, small.Sketches.Count);
        Assert.All(small.Sketches.GroupBy(s => s.Group), g => Assert.Equal(3, g.Count()));
    }

    [Fact]
    public void SplitsAGroup_OnlyToFillTheBudget()
    {
        SbirDataset data = SplitFixtures.Make(categories: 1, singles: 0, groupSizes: [4, 4]);

        SbirDataset small = data.Take(5, 1, seed: 9);

        Assert.Equal(5, small.Sketches.Count);
        Assert.Equal([1, 4], small.Sketches.GroupBy(s => s.Group).Select(g => g.Count()).Order());
    }

    [Theory]
    [InlineData(10, 90, 8, 1, 7)]
    [InlineData(10, 90, 1, 0, 1)]
    [InlineData(10, 90, 2, 1, 1)]
    [InlineData(50, 50, 5, 3, 2)]
    [InlineData(5, 0, 3, 3, 0)]
    [InlineData(0, 5, 3, 0, 3)]
    [InlineData(1, 2, 5, 1, 2)]
    public void Budgets_ShareTheCapByProportion_KeepingOneOfEach(int queries, int training, int max, int q, int t) =>
        Assert.Equal((q, t), DatasetSubset.Budgets(queries, training, max));

    [Fact]
    public void RejectsCapsBelowOne()
    {
        SbirDataset data = SplitFixtures.Make(1, 3, []);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Take(0, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Take(1, 0, 0));
    }

    private static int IndexOf(IReadOnlyList<SbirItem> items, SbirItem item)
    {
        for (int i = 0; i < items.Count; i++)
        {
            if (ReferenceEquals(items[i], item) || items[i] == item)
            {
                return i;
            }
        }
        return -1;
    }
}
