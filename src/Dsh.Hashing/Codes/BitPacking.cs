using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Dsh.Hashing.Codes;

/// <summary>
/// Packs the signs of float vectors into <see cref="ulong"/> words: bit <c>i</c> of a code is
/// bit <c>i % 64</c> of word <c>i / 64</c>, and it is 1 exactly when <c>value[i] &gt; 0</c>.
/// Zero (either sign) packs to 0; NaN is rejected.
/// </summary>
internal static class BitPacking
{
    /// <summary>Writes <c>ceil(values.Length / 64)</c> words to <paramref name="destination"/>.</summary>
    /// <returns>-1 when every value is a number, else the index of the first NaN.</returns>
    public static int PackSigns(ReadOnlySpan<float> values, Span<ulong> destination)
    {
        int words = (values.Length + 63) >> 6;
        ref float src = ref MemoryMarshal.GetReference(values);
        int fullWords = values.Length >> 6;

        for (int w = 0; w < fullWords; w++)
        {
            ulong word = 0;
            nuint baseIndex = (nuint)(w << 6);
            if (Vector256.IsHardwareAccelerated)
            {
                // 8 lanes a vector, 8 vectors a word; a NaN compares unequal to itself.
                for (int j = 0; j < 8; j++)
                {
                    Vector256<float> v = Vector256.LoadUnsafe(ref src, baseIndex + (nuint)(j << 3));
                    if (!Vector256.EqualsAll(v, v))
                    {
                        return FirstNaN(values);
                    }

                    word |= (ulong)Vector256.GreaterThan(v, Vector256<float>.Zero).ExtractMostSignificantBits() << (j << 3);
                }
            }
            else
            {
                for (int j = 0; j < 64; j++)
                {
                    float x = Unsafe.Add(ref src, baseIndex + (nuint)j);
                    if (float.IsNaN(x))
                    {
                        return FirstNaN(values);
                    }

                    word |= (x > 0f ? 1UL : 0UL) << j;
                }
            }

            destination[w] = word;
        }

        if (fullWords < words)
        {
            // Tail: fewer than 64 values, scalar.
            ulong word = 0;
            for (int i = fullWords << 6, bit = 0; i < values.Length; i++, bit++)
            {
                float x = values[i];
                if (float.IsNaN(x))
                {
                    return FirstNaN(values);
                }

                word |= (x > 0f ? 1UL : 0UL) << bit;
            }

            destination[fullWords] = word;
        }

        return -1;
    }

    /// <summary>The mask of the bits that belong to a code in its last word.</summary>
    public static ulong LastWordMask(int codeLength)
    {
        int rem = codeLength & 63;
        return rem == 0 ? ulong.MaxValue : (1UL << rem) - 1;
    }

    /// <summary>The first row (of <paramref name="wordsPerRow"/> words) that sets bits above <paramref name="codeLength"/>, or -1.</summary>
    public static long FirstRowWithPadding(ReadOnlySpan<ulong> rows, int codeLength, int wordsPerRow)
    {
        ulong mask = ~LastWordMask(codeLength);
        if (mask == 0)
        {
            return -1;
        }

        for (int i = wordsPerRow - 1, row = 0; i < rows.Length; i += wordsPerRow, row++)
        {
            if ((rows[i] & mask) != 0)
            {
                return row;
            }
        }

        return -1;
    }

    /// <summary>Writes a row as <c>ceil(codeLength / 8)</c> bytes, bit <c>i</c> in bit <c>i % 8</c> of byte <c>i / 8</c>.</summary>
    public static void WriteBytes(ReadOnlySpan<ulong> row, int codeLength, Span<byte> destination)
    {
        int byteCount = (codeLength + 7) >> 3;
        if (destination.Length < byteCount)
        {
            throw new ArgumentException($"A {codeLength}-bit code needs {byteCount} bytes; the destination has {destination.Length}.", nameof(destination));
        }

        for (int i = 0; i < byteCount; i++)
        {
            destination[i] = (byte)(row[i >> 3] >> ((i & 7) << 3));
        }
    }

    /// <summary>Total number of set bits.</summary>
    public static int PopCount(ReadOnlySpan<ulong> words)
    {
        int count = 0;
        foreach (ulong w in words)
        {
            count += BitOperations.PopCount(w);
        }

        return count;
    }

    private static int FirstNaN(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (float.IsNaN(values[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
