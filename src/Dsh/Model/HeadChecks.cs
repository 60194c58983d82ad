using Dsh.Trunks;

namespace Dsh.Model;

/// <summary>The checks the head specs share.</summary>
internal static class HeadChecks
{
    public static void Widths(IReadOnlyList<int>? values, string name)
    {
        Count(values, name);
        for (int i = 0; i < values!.Count; i++)
        {
            if (values[i] < 1 || values[i] > DshLimits.MaxDimension)
            {
                throw new ArgumentException($"{name}[{i}] must be in [1, {DshLimits.MaxDimension}], not {values[i]}.", name);
            }
        }
    }

    public static void Probabilities(IReadOnlyList<double>? values, string name)
    {
        Count(values, name);
        foreach (double p in values!)
        {
            if (!(p is >= 0 and < 1))
            {
                throw new ArgumentException($"{name} values must be dropout probabilities in [0, 1), not {p}.", name);
            }
        }
    }

    private static void Count<T>(IReadOnlyList<T>? values, string name)
    {
        if (values is null || values.Count != 2)
        {
            throw new ArgumentException($"{name} must have 2 values, not {values?.Count ?? 0}.", name);
        }
    }
}
