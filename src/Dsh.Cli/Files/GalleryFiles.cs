using Dsh.Hashing;

namespace Dsh.Cli.Files;

/// <summary>Loads gallery files for the commands, turning a damaged or foreign file into an <see cref="InputDataException"/>.</summary>
internal static class GalleryFiles
{
    /// <summary>
    /// Loads <paramref name="path"/>: a gallery file, or the older pair of an index and its <c>.catalog.json</c> (then a
    /// one-line hint to re-save goes to <paramref name="stderr"/>).
    /// </summary>
    /// <exception cref="InputDataException">The file is not an intact gallery; the message names it.</exception>
    public static Gallery Load(string path, TextWriter stderr)
    {
        string full = Path.GetFullPath(path);
        Gallery gallery;
        try
        {
            gallery = Gallery.Load(full);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or System.Text.Json.JsonException)
        {
            throw new InputDataException($"'{full}' is not a usable dsh gallery: {e.Message}", e);
        }
        if (gallery.LegacyCatalog is { } catalog)
        {
            stderr.WriteLine($"dsh: note: '{full}' is an older index with its catalog '{catalog}' beside it; 'dsh index add' or 'dsh index upgrade' writes it as one file.");
        }
        return gallery;
    }

    /// <summary>Checks that the model makes codes the gallery can hold, and warns when the gallery names another model file.</summary>
    /// <exception cref="InputDataException">The code lengths differ.</exception>
    /// <summary>
    /// For commands that only read (<c>search</c>, <c>index info</c>): a gallery as <see cref="Load"/> reads it, or any other
    /// index file the library reads (<see cref="HammingIndexFile.Load"/>: a multi-index hash index, a FAISS binary index),
    /// whose items then have no photo path; their key is the id. A flat DSHI index is not read this way: it is half of an
    /// older two-file gallery, and without a usable catalog it stays an error. <paramref name="format"/> says which it was.
    /// </summary>
    /// <exception cref="InputDataException">The file is neither.</exception>
    public static Gallery LoadForReading(string path, TextWriter stderr, out string format)
    {
        string full = Path.GetFullPath(path);
        try
        {
            Gallery gallery = Load(full, stderr);
            format = gallery.LegacyCatalog is null ? "gallery" : "legacy index + catalog";
            return gallery;
        }
        catch (InputDataException) when (TryLoadIndex(full) is { } index)
        {
            format = $"index ({index.GetType().Name})";
            stderr.WriteLine($"dsh: note: '{full}' is an index without photo paths ({index.GetType().Name}); results name ids only.");
            var gallery = new Gallery(index.CodeLength);
            IndexSnapshot snapshot = index.Snapshot();
            for (int i = 0; i < snapshot.Count; i++)
            {
                long id = snapshot.Ids[i];
                gallery.Add(id, snapshot.Codes[i], new GalleryItem(id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            return gallery;
        }
    }

    private static IHammingIndex? TryLoadIndex(string path)
    {
        try
        {
            // A flat DSHI index is one half of the older two-file gallery: without its catalog (or with a broken one) it is
            // a damaged gallery, not an index to read by ids, so it stays an error.
            Span<byte> head = stackalloc byte[8];
            using (var file = File.OpenRead(path))
            {
                if (file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length && head.SequenceEqual("DSHIFLAT"u8))
                {
                    return null;
                }
            }
            return HammingIndexFile.Load(path).Index;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            return null;
        }
    }


    /// <summary>As above, for a model known by its code length and identity (an ONNX export names the model it came from).</summary>
    public static void CheckModel(Gallery gallery, int codeLength, string identity, string galleryPath, TextWriter stderr)
    {
        if (codeLength != gallery.CodeLength)
        {
            throw new InputDataException($"The model makes {codeLength}-bit codes but the gallery '{galleryPath}' holds {gallery.CodeLength}-bit codes.");
        }
        if (gallery.Properties.Model is { } recorded && !ModelIdentity.SameModel(recorded, identity))
        {
            stderr.WriteLine($"dsh: warning: the gallery's codes were made by {recorded}, not by {identity}; results are only meaningful with the same model.");
        }
    }
}
