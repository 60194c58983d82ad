namespace Dsh.Data;

/// <summary>The reasons a <see cref="DatasetLoadReport"/> gives.</summary>
public static class SkipReasons
{
    /// <summary>A file whose extension is not in <see cref="SbirLoadOptions.Extensions"/>.</summary>
    public const string NotAnImageExtension = "not an image extension";

    /// <summary>A file ImageSharp could not identify; the reason goes on with ": " and ImageSharp's message.</summary>
    public const string UnreadableImage = "unreadable image";

    /// <summary>A folder that could not be listed; the reason goes on with ": " and the system's message.</summary>
    public const string UnreadableFolder = "unreadable folder";

    /// <summary>A manifest entry whose file does not exist.</summary>
    public const string FileNotFound = "file not found";

    /// <summary>A file lying directly in a domain root instead of in a category folder.</summary>
    public const string OutsideCategoryFolder = "outside any category folder";

    /// <summary>A manifest entry naming a file already listed for the same domain.</summary>
    public const string DuplicateEntry = "duplicate entry";

    /// <summary>A category with usable sketches but no usable photo.</summary>
    public const string NoPhotos = "no photos";

    /// <summary>A category with usable photos but no usable sketch.</summary>
    public const string NoSketches = "no sketches";

    /// <summary>A category with no usable file in either domain.</summary>
    public const string Empty = "empty";
}
