namespace Dsh.Data;

/// <summary>The checks <see cref="SbirDataset.FromItems"/> applies.</summary>
internal static class ItemValidation
{
    public static void CheckCategories(IReadOnlyList<string> categories)
    {
        if (categories.Count == 0)
        {
            throw new ArgumentException("At least one category is needed.", nameof(categories));
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < categories.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(categories[i]))
            {
                throw new ArgumentException($"categories[{i}] is null or blank.", nameof(categories));
            }
            if (!seen.Add(categories[i]))
            {
                throw new ArgumentException($"Category '{categories[i]}' appears twice.", nameof(categories));
            }
        }
    }

    public static List<SbirItem> Sketches(IEnumerable<SbirItem> items, int categoryCount)
    {
        var list = new List<SbirItem>();
        foreach (SbirItem? item in items)
        {
            string name = $"sketches[{list.Count}]";
            Check(item, categoryCount, name, "sketches");
            if (item.Split is not (SbirSplit.Train or SbirSplit.Query))
            {
                throw new ArgumentException($"{name}: a sketch's split must be Train or Query, not {item.Split}.", "sketches");
            }
            list.Add(item);
        }
        return list;
    }

    public static List<SbirItem> Photos(IEnumerable<SbirItem> items, int categoryCount)
    {
        var list = new List<SbirItem>();
        foreach (SbirItem? item in items)
        {
            string name = $"photos[{list.Count}]";
            Check(item, categoryCount, name, "photos");
            switch (item.Split)
            {
                case SbirSplit.Gallery:
                    list.Add(item);
                    break;
                case SbirSplit.Train:
                    list.Add(item with { Split = SbirSplit.Gallery });
                    break;
                default:
                    throw new ArgumentException($"{name}: a photo's split must be Gallery, not {item.Split} (photos are both trained on and searched).", "photos");
            }
        }
        return list;
    }

    private static void Check([System.Diagnostics.CodeAnalysis.NotNull] SbirItem? item, int categoryCount, string name, string parameter)
    {
        if (item is null)
        {
            throw new ArgumentException($"{name} is null.", parameter);
        }
        if ((item.Path is null) == (item.Image is null))
        {
            throw new ArgumentException($"{name}: exactly one of Path and Image must be set.", parameter);
        }
        if (item.Path is not null && string.IsNullOrWhiteSpace(item.Path))
        {
            throw new ArgumentException($"{name}: Path is blank.", parameter);
        }
        if (item.Label < 0 || item.Label >= categoryCount)
        {
            throw new ArgumentException($"{name}: label {item.Label} is outside the {categoryCount} categories.", parameter);
        }
        if (!Enum.IsDefined(item.Split))
        {
            throw new ArgumentException($"{name}: split {(int)item.Split} is not a defined SbirSplit.", parameter);
        }
    }
}
