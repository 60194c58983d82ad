using System.Text;

namespace Dsh.Hashing.Galleries;

/// <summary>
/// The rules every string of a gallery follows (keys, categories, property values), shared by the argument
/// checks and the file reader: not empty, at most a given number of UTF-8 bytes, well-formed Unicode, and no
/// control characters (U+0000–U+001F, U+007F–U+009F), so a key can be printed, logged and stored as is.
/// </summary>
internal static class GalleryText
{
    /// <summary>UTF-8 that throws on lone surrogates and invalid bytes instead of replacing them.</summary>
    public static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>What is wrong with <paramref name="value"/>, or null when it follows the rules.</summary>
    /// <param name="value">The string.</param>
    /// <param name="maxBytes">The most UTF-8 bytes allowed.</param>
    public static string? Problem(string value, int maxBytes)
    {
        if (value.Length == 0)
        {
            return "is empty";
        }

        int control = FirstControl(value);
        if (control >= 0)
        {
            return $"has a control character (U+{(int)value[control]:X4}) at position {control}";
        }

        int bytes;
        try
        {
            bytes = Strict.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            return "is not well-formed Unicode (it has a lone surrogate)";
        }

        return bytes > maxBytes ? $"is {bytes} UTF-8 bytes long; at most {maxBytes} are allowed" : null;
    }

    /// <summary>Checks an argument.</summary>
    /// <param name="value">The string.</param>
    /// <param name="maxBytes">The most UTF-8 bytes allowed.</param>
    /// <param name="name">The argument name.</param>
    /// <param name="what">What the string is, for the message ("A key").</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> breaks a rule.</exception>
    public static string Check(string value, int maxBytes, string name, string what)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        string? problem = Problem(value, maxBytes);
        return problem is null ? value : throw new ArgumentException($"{what} {Quote(value)} {problem}.", name);
    }

    /// <summary>The value in quotes, shortened to 80 characters, for a message.</summary>
    public static string Quote(string value)
    {
        string shown = value.Length <= 80 ? value : value[..77] + "...";
        var builder = new StringBuilder(shown.Length + 2).Append('\'');
        foreach (char c in shown)
        {
            builder.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return builder.Append('\'').ToString();
    }

    private static int FirstControl(ReadOnlySpan<char> value)
    {
        int c0 = value.IndexOfAnyInRange('\u0000', '\u001F');
        int c1 = value.IndexOfAnyInRange('\u007F', '\u009F');
        return c0 < 0 ? c1 : c1 < 0 ? c0 : Math.Min(c0, c1);
    }
}
