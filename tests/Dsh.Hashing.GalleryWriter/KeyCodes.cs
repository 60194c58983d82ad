using System.IO.Hashing;
using System.Text;
using Dsh.Hashing;

namespace Dsh.Hashing.GalleryWriter;

/// <summary>The code and category a writer stores for a key, derived from the key alone, so a reader can check them.</summary>
public static class KeyCodes
{
    /// <summary>The key of item <paramref name="item"/> of update <paramref name="update"/> by <paramref name="writer"/>.</summary>
    public static string Key(string writer, int update, int item) => $"{writer}/{update}/{item}";

    /// <summary>A code of <paramref name="bits"/> bits: hashes of the key, one a word, the unused high bits cleared.</summary>
    public static BinaryCode Code(string key, int bits)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(key);
        var words = new ulong[(bits + 63) / 64];
        for (int w = 0; w < words.Length; w++)
        {
            words[w] = XxHash64.HashToUInt64(bytes, seed: w);
        }

        if (bits % 64 != 0)
        {
            words[^1] &= (1UL << (bits % 64)) - 1;
        }

        return BinaryCode.FromWords(words, bits);
    }

    /// <summary>The category of a key: its writer and the update number modulo 3.</summary>
    public static string Category(string writer, int update) => $"{writer}-{update % 3}";
}
