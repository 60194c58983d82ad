namespace Dsh.Data;

/// <summary>
/// The seeded choices behind <see cref="SbirDataset.WithQueries"/> and <see cref="SbirDataset.Take"/>: one
/// <see cref="Random"/> per (seed, category, purpose), created with <c>new Random(int)</c> (a fixed, documented
/// algorithm) from an FNV-1a hash of the category name (never <see cref="HashCode"/>, which changes per process),
/// and Fisher–Yates shuffles of groups.
/// </summary>
internal static class SeededSelection
{
    /// <summary>A generator that depends only on the seed, the category name and the purpose.</summary>
    public static Random For(int seed, string category, string purpose)
    {
        uint hash = 2166136261;
        foreach (char c in purpose + "\0" + category)
        {
            hash = unchecked((hash ^ c) * 16777619);
        }
        return new Random(unchecked(seed * -1640531535 ^ (int)hash));
    }

    /// <summary>
    /// The items (indices into <paramref name="items"/>) as units: items sharing a non-null group form one unit,
    /// every other item is its own; units in order of first appearance, then shuffled.
    /// </summary>
    public static List<int[]> ShuffledUnits(IReadOnlyList<SbirItem> items, IEnumerable<int> indices, Random random)
    {
        var units = new List<List<int>>();
        var byGroup = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (int i in indices)
        {
            string? group = items[i].Group;
            if (group is null)
            {
                units.Add([i]);
            }
            else if (byGroup.TryGetValue(group, out List<int>? unit))
            {
                unit.Add(i);
            }
            else
            {
                unit = [i];
                byGroup[group] = unit;
                units.Add(unit);
            }
        }
        List<int[]> shuffled = units.Select(u => u.ToArray()).ToList();
        for (int i = shuffled.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
        }
        return shuffled;
    }

    /// <summary>
    /// Takes whole units, in order, while they fit in <paramref name="count"/>; returns the chosen indices and the
    /// units left over (in order).
    /// </summary>
    public static (List<int> Chosen, List<int[]> Remaining) TakeWholeUnits(List<int[]> units, int count)
    {
        var chosen = new List<int>();
        var rest = new List<int[]>();
        foreach (int[] unit in units)
        {
            if (chosen.Count + unit.Length <= count)
            {
                chosen.AddRange(unit);
            }
            else
            {
                rest.Add(unit);
            }
        }
        return (chosen, rest);
    }

    /// <summary>
    /// Exactly min(count, total) indices: whole units first (see <see cref="TakeWholeUnits"/>), then, only if that
    /// falls short, single items from the remaining units in order (splitting as few groups as the order allows).
    /// </summary>
    public static List<int> TakeExactly(List<int[]> units, int count)
    {
        (List<int> chosen, List<int[]> rest) = TakeWholeUnits(units, count);
        foreach (int i in rest.SelectMany(u => u))
        {
            if (chosen.Count >= count)
            {
                break;
            }
            chosen.Add(i);
        }
        return chosen;
    }
}
