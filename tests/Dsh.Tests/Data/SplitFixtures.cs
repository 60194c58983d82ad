using Dsh.Data;

namespace Dsh.Tests.Data;

/// <summary>In-memory-free datasets (file items, never opened) for the split and subset tests.</summary>
internal static class SplitFixtures
{
    /// <summary>
    /// Per category c (name "c{c}"): <paramref name="singles"/> ungrouped sketches and, for each size in
    /// <paramref name="groupSizes"/>, a group of that many sketches plus its photo; plus <paramref name="extraPhotos"/> ungrouped photos.
    /// </summary>
    public static SbirDataset Make(int categories, int singles, int[] groupSizes, int extraPhotos = 3)
    {
        var names = Enumerable.Range(0, categories).Select(c => $"c{c}").ToArray();
        var sketches = new List<SbirItem>();
        var photos = new List<SbirItem>();
        for (int c = 0; c < categories; c++)
        {
            for (int i = 0; i < singles; i++)
            {
                sketches.Add(SbirItem.FromFile($"/d/s/{names[c]}/{i:D3}.png", c));
            }
            for (int g = 0; g < groupSizes.Length; g++)
            {
                string group = $"{names[c]}/n{g}";
                for (int k = 1; k <= groupSizes[g]; k++)
                {
                    sketches.Add(SbirItem.FromFile($"/d/s/{names[c]}/n{g}-{k}.png", c, group: group));
                }
                photos.Add(SbirItem.FromFile($"/d/p/{names[c]}/n{g}.jpg", c, SbirSplit.Gallery, group));
            }
            for (int i = 0; i < extraPhotos; i++)
            {
                photos.Add(SbirItem.FromFile($"/d/p/{names[c]}/{i:D3}.jpg", c, SbirSplit.Gallery));
            }
        }
        return SbirDataset.FromItems(names, sketches, photos);
    }

    /// <summary>For each group, whether all its sketches share one split.</summary>
    public static void AssertGroupsWhole(SbirDataset data) =>
        Assert.All(
            data.Sketches.Where(s => s.Group != null).GroupBy(s => s.Group),
            g => Assert.Single(g.Select(s => s.Split).Distinct()));
}
