using Dsh.Data;

namespace Dsh;

public sealed partial class SbirDataset
{
    /// <summary>
    /// Loads <c>&lt;sketchRoot&gt;/&lt;category&gt;/…</c> and <c>&lt;photoRoot&gt;/&lt;category&gt;/…</c> (files may sit in
    /// sub-folders of a category folder) with the default options: unreadable files and one-sided or empty
    /// categories are skipped and reported in <see cref="Report"/>.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">A root does not exist.</exception>
    /// <exception cref="SbirDatasetException">No category has usable sketches and photos.</exception>
    public static SbirDataset FromFolders(string sketchRoot, string photoRoot) =>
        FromFolders(sketchRoot, photoRoot, SbirLoadOptions.Default);

    /// <summary>Loads the folder layout of <see cref="FromFolders(string, string)"/> with the given options.</summary>
    /// <exception cref="DirectoryNotFoundException">A root does not exist.</exception>
    /// <exception cref="SbirDatasetException">Strict and something was skipped, or no category has usable sketches and photos.</exception>
    public static SbirDataset FromFolders(string sketchRoot, string photoRoot, SbirLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var collector = new LoadCollector($"'{Full(sketchRoot)}' (sketches) and '{Full(photoRoot)}' (photos)", options);
        CategoryFolderScanner.Scan(sketchRoot, ImageDomain.Sketch, collector);
        CategoryFolderScanner.Scan(photoRoot, ImageDomain.Photo, collector);
        return DatasetAssembler.Build(collector);
    }

    /// <summary>
    /// Loads a manifest: <c>.csv</c> with the header <c>domain,category,path[,split][,group]</c> (any column order), or
    /// <c>.json</c>, an array of <c>{ "domain", "category", "path", "split"?, "group"? }</c>. Domain is <c>sketch</c> or
    /// <c>photo</c>; relative paths are relative to the manifest's folder; split is <c>train</c>, <c>query</c> (sketches)
    /// or <c>gallery</c> (photos), empty for the default; an empty group is derived from the file name.
    /// </summary>
    /// <exception cref="FileNotFoundException">The manifest does not exist.</exception>
    /// <exception cref="ArgumentException">The extension is neither .csv nor .json.</exception>
    /// <exception cref="InvalidDataException">The manifest is malformed; the message names the line or entry.</exception>
    /// <exception cref="SbirDatasetException">Strict and something was skipped, or no category has usable sketches and photos.</exception>
    public static SbirDataset FromManifest(string path, SbirLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        var collector = new LoadCollector($"manifest '{full}'", options ?? SbirLoadOptions.Default);
        ManifestLoader.Load(full, collector);
        return DatasetAssembler.Build(collector);
    }

    /// <summary>
    /// Loads Sketchy: <c>&lt;root&gt;/rendered_256x256/256x256/sketch/tx_000000000000/&lt;category&gt;/*.png</c> and
    /// <c>…/photo/tx_000000000000/&lt;category&gt;/*.jpg</c> (<paramref name="root"/> may also be the
    /// <c>rendered_256x256</c> or <c>256x256</c> folder), plus, when given, the extended photos in the
    /// <c>&lt;category&gt;/*</c> layout. A sketch <c>&lt;photoId&gt;-&lt;n&gt;.png</c> gets group <c>&lt;category&gt;/&lt;photoId&gt;</c>, shared with its photo.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The Sketchy folders or the extended photo root do not exist.</exception>
    /// <exception cref="SbirDatasetException">Strict and something was skipped, or no category has usable sketches and photos.</exception>
    public static SbirDataset FromSketchy(string root, string? extendedPhotoRoot = null, SbirLoadOptions? options = null)
    {
        (string sketches, string photos) = SketchyLayout.Resolve(root);
        string source = $"Sketchy '{Full(root)}'" + (extendedPhotoRoot is null ? "" : $" with extended photos '{Full(extendedPhotoRoot)}'");
        var collector = new LoadCollector(source, options ?? SbirLoadOptions.Default);
        CategoryFolderScanner.Scan(sketches, ImageDomain.Sketch, collector);
        CategoryFolderScanner.Scan(photos, ImageDomain.Photo, collector);
        if (extendedPhotoRoot is not null)
        {
            CategoryFolderScanner.Scan(extendedPhotoRoot, ImageDomain.Photo, collector);
        }
        return DatasetAssembler.Build(collector);
    }

    /// <summary>
    /// Loads TU-Berlin sketches (<c>&lt;sketchRoot&gt;/&lt;category&gt;/&lt;id&gt;.png</c>) with the TU-Berlin Extension photos
    /// (<c>&lt;photoRoot&gt;/&lt;category&gt;/*</c>). A photo folder whose name differs from a sketch folder only in case,
    /// '_', '-' or spaces (<c>alarm_clock</c> / <c>alarm clock</c>) is matched to it and takes the sketch folder's name.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">A root does not exist.</exception>
    /// <exception cref="SbirDatasetException">Strict and something was skipped, or no category has usable sketches and photos.</exception>
    public static SbirDataset FromTuBerlinExtension(string sketchRoot, string photoRoot, SbirLoadOptions? options = null)
    {
        var collector = new LoadCollector(
            $"TU-Berlin '{Full(sketchRoot)}' (sketches) and '{Full(photoRoot)}' (extension photos)", options ?? SbirLoadOptions.Default);
        CategoryFolderScanner.Scan(sketchRoot, ImageDomain.Sketch, collector);
        CategoryFolderScanner.Scan(photoRoot, ImageDomain.Photo, collector);
        CategoryNameMatcher.AlignPhotoCategories(collector);
        return DatasetAssembler.Build(collector);
    }

    private static string Full(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Path.GetFullPath(path);
    }
}
