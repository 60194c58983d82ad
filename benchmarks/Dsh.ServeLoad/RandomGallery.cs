using System.Diagnostics;
using System.Globalization;
using Dsh.Hashing;

namespace Dsh.ServeLoad;

/// <summary>Writes a gallery of uniformly random codes with short keys (<c>p/000123.jpg</c>) and a few categories.</summary>
internal static class RandomGallery
{
    private static readonly string[] Categories = ["dog", "elephant", "giraffe", "guitar", "horse", "house", "person"];

    /// <summary>Writes the gallery to <paramref name="path"/>; returns the seconds it took.</summary>
    public static double Write(string path, int count, int bits, int seed = 2017)
    {
        var clock = Stopwatch.StartNew();
        int wordsPerCode = (bits + 63) / 64;
        var random = new Random(seed);
        var words = new ulong[(long)count * wordsPerCode];
        for (long i = 0; i < words.Length; i++)
        {
            words[i] = (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63);
        }
        if (bits % 64 != 0)
        {
            ulong mask = (1UL << (bits % 64)) - 1; // unused high bits stay zero
            for (long i = wordsPerCode - 1; i < words.Length; i += wordsPerCode)
            {
                words[i] &= mask;
            }
        }

        int digits = Math.Max(6, (count - 1).ToString(CultureInfo.InvariantCulture).Length);
        var items = new GalleryItem[count];
        for (int i = 0; i < count; i++)
        {
            items[i] = new GalleryItem("p/" + i.ToString("D" + digits, CultureInfo.InvariantCulture) + ".jpg", Categories[i % Categories.Length]);
        }

        var gallery = new Gallery(bits, new GalleryProperties { Root = Path.GetDirectoryName(Path.GetFullPath(path)) });
        gallery.AddRange(BinaryCodeSet.FromWords(words, bits), items);
        gallery.Save(path);
        return clock.Elapsed.TotalSeconds;
    }
}
