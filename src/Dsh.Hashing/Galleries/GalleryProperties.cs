using Dsh.Hashing.Galleries;

namespace Dsh.Hashing;

/// <summary>What a <see cref="Gallery"/> records about itself as a whole, besides its code length.</summary>
/// <remarks>
/// Each value is null (not recorded) or a non-empty, well-formed string without control characters of at most
/// <see cref="MaxValueBytes"/> UTF-8 bytes. The gallery stores them; it does not interpret them.
/// </remarks>
public sealed record GalleryProperties
{
    /// <summary>The longest value, in UTF-8 bytes.</summary>
    public const int MaxValueBytes = 4096;

    /// <summary>No values.</summary>
    public static GalleryProperties Empty { get; } = new();

    /// <summary>Which model made the codes: a name, a file path or a hash, whatever lets a reader check that its query codes come from the same model.</summary>
    /// <exception cref="ArgumentException">The value breaks a rule.</exception>
    public string? Model
    {
        get;
        init => field = Check(value, nameof(Model));
    }

    /// <summary>What the stored codes encode, e.g. <c>"photo"</c> or <c>"sketch"</c>.</summary>
    /// <exception cref="ArgumentException">The value breaks a rule.</exception>
    public string? Domain
    {
        get;
        init => field = Check(value, nameof(Domain));
    }

    /// <summary>The absolute folder the item keys are relative to (where they are paths), as it was when the gallery was built.</summary>
    /// <exception cref="ArgumentException">The value breaks a rule.</exception>
    public string? Root
    {
        get;
        init => field = Check(value, nameof(Root));
    }

    private static string? Check(string? value, string name) =>
        value is null ? null : GalleryText.Check(value, MaxValueBytes, name, name);
}
