namespace Dsh.Imaging;

/// <summary>The range check the imaging options share.</summary>
internal static class OptionChecks
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="name"/> unless <paramref name="ok"/> holds and the value is a number.</summary>
    /// <param name="ok">Whether the value is in its range.</param>
    /// <param name="name">The option's name.</param>
    /// <param name="range">The range, as the message says it (e.g. "in [0, 1]").</param>
    /// <param name="value">The value (NaN is always refused).</param>
    public static void Require(bool ok, string name, string range, double value)
    {
        if (!ok || double.IsNaN(value))
        {
            throw new ArgumentException($"{name} must be {range}, not {value}.", name);
        }
    }
}
