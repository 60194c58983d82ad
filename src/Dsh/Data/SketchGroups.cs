using System.Text.RegularExpressions;

namespace Dsh.Data;

/// <summary>
/// Groups from file names: a sketch <c>&lt;photoId&gt;-&lt;k&gt;.&lt;ext&gt;</c> (Sketchy, PACS) was drawn from photo
/// <c>&lt;photoId&gt;</c>, so its group is <c>&lt;category&gt;/&lt;photoId&gt;</c>; a photo whose stem is such an id joins it.
/// </summary>
internal static partial class SketchGroups
{
    [GeneratedRegex(@"^(?<g>.+)-\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex DrawnFromPhoto();

    /// <summary>The sketch's group, or <see langword="null"/> when its name does not say which photo it was drawn from.</summary>
    public static string? ForSketch(string category, string path)
    {
        Match match = DrawnFromPhoto().Match(Path.GetFileNameWithoutExtension(path));
        return match.Success ? Key(category, match.Groups["g"].Value) : null;
    }

    /// <summary>The group a photo would join: <c>&lt;category&gt;/&lt;stem&gt;</c>.</summary>
    public static string CandidateForPhoto(string category, string path) =>
        Key(category, Path.GetFileNameWithoutExtension(path));

    private static string Key(string category, string id) => category + "/" + id;
}
