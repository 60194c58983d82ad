using Dsh.Hashing.Galleries;

namespace Dsh.Hashing;

/// <summary>What a <see cref="Gallery"/> knows about one stored code besides its id: a key and an optional category.</summary>
/// <remarks>
/// <para>The <see cref="Key"/> names the item and is unique within a gallery: typically the image path relative
/// to <see cref="GalleryProperties.Root"/> (use <c>/</c> as the separator so the gallery moves between systems),
/// but any string the caller chooses. Keys are compared ordinally (case-sensitive).</para>
/// <para>Keys and categories are non-empty, well-formed Unicode without control characters (U+0000–U+001F,
/// U+007F–U+009F), at most <see cref="MaxKeyBytes"/> and <see cref="MaxCategoryBytes"/> UTF-8 bytes. Use null,
/// not an empty string, for "no category".</para>
/// </remarks>
public sealed record GalleryItem
{
    /// <summary>The longest key, in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 4096;

    /// <summary>The longest category, in UTF-8 bytes.</summary>
    public const int MaxCategoryBytes = 1024;

    /// <summary>Creates an item.</summary>
    /// <param name="key">The key: non-empty, at most <see cref="MaxKeyBytes"/> UTF-8 bytes, no control characters.</param>
    /// <param name="category">The category, or null: non-empty, at most <see cref="MaxCategoryBytes"/> UTF-8 bytes, no control characters.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="ArgumentException">A string breaks a rule (the message says which).</exception>
    public GalleryItem(string key, string? category = null)
    {
        Key = GalleryText.Check(key, MaxKeyBytes, nameof(key), "The key");
        Category = category is null ? null : GalleryText.Check(category, MaxCategoryBytes, nameof(category), "The category");
    }

    /// <summary>Wraps strings already checked (read from a file, or a checked item's with a shared category string).</summary>
    private GalleryItem(string key, string? category, bool trusted)
    {
        _ = trusted;
        Key = key;
        Category = category;
    }

    /// <summary>The key, unique within a gallery.</summary>
    public string Key { get; }

    /// <summary>The category, or null.</summary>
    public string? Category { get; }

    /// <summary>An item from strings the caller has checked.</summary>
    internal static GalleryItem Trusted(string key, string? category) => new(key, category, trusted: true);
}
