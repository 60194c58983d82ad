using System.Globalization;

namespace Dsh.Cli;

/// <summary>Number and time formatting for people (invariant culture).</summary>
internal static class Format
{
    /// <summary>h:mm:ss (hours may exceed 23) or m:ss.</summary>
    public static string Duration(TimeSpan time) =>
        time.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(long)time.TotalHours}:{time.Minutes:00}:{time.Seconds:00}")
            : time.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    /// <summary>A metric with 3 decimals.</summary>
    public static string Metric(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>Milliseconds with 2 decimals (or "n/a").</summary>
    public static string Ms(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) + " ms" : "n/a";

    /// <summary>Seconds with 1 decimal.</summary>
    public static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    /// <summary>Makes any text one line (error messages must be).</summary>
    public static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
