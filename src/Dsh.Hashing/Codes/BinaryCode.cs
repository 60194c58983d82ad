using System.Globalization;
using System.Numerics;
using Dsh.Hashing.Codes;
using Dsh.Hashing.Internal;

namespace Dsh.Hashing;

/// <summary>
/// An immutable binary code of 1 to <see cref="MaxCodeLength"/> bits, packed into <see cref="ulong"/> words.
/// </summary>
/// <remarks>
/// <para>Bit <c>i</c> lives in bit <c>i % 64</c> of word <c>i / 64</c>; the unused high bits of the last
/// word are always zero. As bytes (<see cref="FromBytes"/>, <see cref="ToBytes"/>) bit <c>i</c> is bit
/// <c>i % 8</c> of byte <c>i / 8</c>: the little-endian image of the words, and the layout FAISS uses.</para>
/// <para>From real values (<see cref="FromSigns"/>) a bit is 1 exactly when the value is <c>&gt; 0</c>;
/// zero and negative values give 0, NaN is rejected. This is the convention of every Dsh encoder.</para>
/// <para>The text form (<see cref="ToString"/>, <see cref="Parse"/>) is hexadecimal, most significant
/// nibble first (bit 0 is the lowest bit of the last digit), <c>ceil(CodeLength / 4)</c> digits; when
/// <see cref="CodeLength"/> is not a multiple of 4 the length follows after a slash, e.g. <c>"1f/5"</c>.</para>
/// </remarks>
public sealed class BinaryCode : IEquatable<BinaryCode>
{
    /// <summary>
    /// The longest code supported, in bits: the one bound on the code length that every code, code set, index,
    /// gallery, kernel and file format of Dsh.Hashing (and Dsh.Orleans) checks against.
    /// </summary>
    public const int MaxCodeLength = 4096;

    /// <summary>The longest code supported, in bits: <see cref="MaxCodeLength"/>.</summary>
    [Obsolete("Use BinaryCode.MaxCodeLength.")]
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public const int MaxBits = MaxCodeLength;

    private readonly ulong[] _words;

    private BinaryCode(ulong[] words, int codeLength)
    {
        _words = words;
        CodeLength = codeLength;
    }

    /// <summary>The code length in bits.</summary>
    public int CodeLength { get; }

    /// <summary>The code length under its first name; use <see cref="CodeLength"/>.</summary>
    [Obsolete("Use CodeLength.")]
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public int Bits => CodeLength;

    /// <summary>The number of 64-bit words the code occupies: <c>ceil(CodeLength / 64)</c>.</summary>
    public int WordCount => _words.Length;

    /// <summary>The packed words (unused high bits of the last word are zero).</summary>
    public ReadOnlySpan<ulong> Words => _words;

    /// <summary>Gets bit <paramref name="index"/> (0-based).</summary>
    /// <param name="index">The bit position, 0 to <see cref="CodeLength"/> - 1.</param>
    public bool this[int index]
    {
        get
        {
            if ((uint)index >= (uint)CodeLength)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"Bit index must be between 0 and {CodeLength - 1}.");
            }

            return ((_words[index >> 6] >> (index & 63)) & 1UL) != 0;
        }
    }

    /// <summary>The number of 64-bit words needed for a code of <paramref name="codeLength"/> bits.</summary>
    /// <param name="codeLength">A code length, 1 to <see cref="MaxCodeLength"/>.</param>
    public static int WordsFor(int codeLength)
    {
        Guard.CodeLengthInRange(codeLength);
        return (codeLength + 63) >> 6;
    }

    /// <summary>Creates a code from packed words (copied).</summary>
    /// <param name="words">Exactly <c>ceil(bits / 64)</c> words.</param>
    /// <param name="bits">The code length, 1 to <see cref="MaxCodeLength"/> (named <c>bits</c>, as in the first release: code that passes it by name keeps compiling).</param>
    /// <exception cref="ArgumentException">The word count does not fit <paramref name="bits"/>, or bits above <paramref name="bits"/> are set.</exception>
    public static BinaryCode FromWords(ReadOnlySpan<ulong> words, int bits)
    {
        int count = WordsFor(bits);
        if (words.Length != count)
        {
            throw new ArgumentException($"A {bits}-bit code needs {count} words; got {words.Length}.", nameof(words));
        }

        if (BitPacking.FirstRowWithPadding(words, bits, count) >= 0)
        {
            throw new ArgumentException($"Bits above bit {bits - 1} are set in the last word; they must be zero.", nameof(words));
        }

        return new BinaryCode(words.ToArray(), bits);
    }

    /// <summary>Creates a code from the signs of real values: bit <c>i</c> is 1 when <c>values[i] &gt; 0</c>.</summary>
    /// <param name="values">1 to <see cref="MaxCodeLength"/> values; the code has <c>values.Length</c> bits.</param>
    /// <exception cref="ArgumentException">A value is NaN, or the length is out of range.</exception>
    public static BinaryCode FromSigns(ReadOnlySpan<float> values)
    {
        Guard.CodeLengthInRange(values.Length, nameof(values) + ".Length");
        var words = new ulong[(values.Length + 63) >> 6];
        int nan = BitPacking.PackSigns(values, words);
        if (nan >= 0)
        {
            throw new ArgumentException($"values[{nan}] is NaN; a sign cannot be taken.", nameof(values));
        }

        return new BinaryCode(words, values.Length);
    }

    /// <summary>Creates a code from one <see cref="bool"/> a bit.</summary>
    /// <param name="bits">1 to <see cref="MaxCodeLength"/> bits; bit <c>i</c> is <c>bits[i]</c>.</param>
    public static BinaryCode FromBools(ReadOnlySpan<bool> bits)
    {
        Guard.CodeLengthInRange(bits.Length, nameof(bits) + ".Length");
        var words = new ulong[(bits.Length + 63) >> 6];
        for (int i = 0; i < bits.Length; i++)
        {
            if (bits[i])
            {
                words[i >> 6] |= 1UL << (i & 63);
            }
        }

        return new BinaryCode(words, bits.Length);
    }

    /// <summary>Creates a code from bytes: bit <c>i</c> is bit <c>i % 8</c> of byte <c>i / 8</c> (the FAISS layout).</summary>
    /// <param name="bytes">Exactly <c>ceil(codeLength / 8)</c> bytes; bits above <paramref name="codeLength"/> in the last byte must be zero.</param>
    /// <param name="codeLength">The code length, 1 to <see cref="MaxCodeLength"/>.</param>
    public static BinaryCode FromBytes(ReadOnlySpan<byte> bytes, int codeLength)
    {
        Guard.CodeLengthInRange(codeLength);
        int byteCount = (codeLength + 7) >> 3;
        if (bytes.Length != byteCount)
        {
            throw new ArgumentException($"A {codeLength}-bit code needs {byteCount} bytes; got {bytes.Length}.", nameof(bytes));
        }

        var words = new ulong[(codeLength + 63) >> 6];
        bytes.CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(words.AsSpan()));
        if (!BitConverter.IsLittleEndian)
        {
            for (int i = 0; i < words.Length; i++)
            {
                words[i] = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(words[i]);
            }
        }

        if (BitPacking.FirstRowWithPadding(words, codeLength, words.Length) >= 0)
        {
            throw new ArgumentException($"Bits above bit {codeLength - 1} are set in the last byte; they must be zero.", nameof(bytes));
        }

        return new BinaryCode(words, codeLength);
    }

    /// <summary>Creates a code from hexadecimal digits, most significant first (see the remarks on <see cref="BinaryCode"/>).</summary>
    /// <param name="hex">Exactly <c>ceil(codeLength / 4)</c> hex digits (either case), no prefix.</param>
    /// <param name="codeLength">The code length, 1 to <see cref="MaxCodeLength"/>.</param>
    /// <exception cref="FormatException">A character is not a hex digit, the digit count is wrong, or bits above <paramref name="codeLength"/> are set.</exception>
    public static BinaryCode FromHex(string hex, int codeLength)
    {
        Guard.NotNull(hex);
        Guard.CodeLengthInRange(codeLength);
        int digits = (codeLength + 3) >> 2;
        if (hex.Length != digits)
        {
            throw new FormatException($"A {codeLength}-bit code is written with {digits} hex digits; got {hex.Length}.");
        }

        var words = new ulong[(codeLength + 63) >> 6];
        for (int pos = 0; pos < digits; pos++)
        {
            int nibbleIndex = digits - 1 - pos;
            int value = HexValue(hex[pos]);
            if (value < 0)
            {
                throw new FormatException($"'{hex[pos]}' at position {pos} is not a hex digit.");
            }

            words[nibbleIndex >> 4] |= (ulong)value << ((nibbleIndex & 15) << 2);
        }

        if (BitPacking.FirstRowWithPadding(words, codeLength, words.Length) >= 0)
        {
            throw new FormatException($"The first hex digit sets bits above bit {codeLength - 1}.");
        }

        return new BinaryCode(words, codeLength);
    }

    /// <summary>Parses the text form written by <see cref="ToString"/>: <c>"hex"</c> (4 bits a digit) or <c>"hex/bits"</c>.</summary>
    /// <param name="text">The text to parse.</param>
    /// <exception cref="FormatException">The text is not a code.</exception>
    public static BinaryCode Parse(string text)
    {
        Guard.NotNull(text);
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            if (text.Length == 0 || text.Length * 4 > MaxCodeLength)
            {
                throw new FormatException($"A code is 1 to {MaxCodeLength / 4} hex digits; got {text.Length}.");
            }

            return FromHex(text, text.Length * 4);
        }

        if (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int codeLength) || codeLength < 1 || codeLength > MaxCodeLength)
        {
            throw new FormatException($"'{text[(slash + 1)..]}' after '/' is not a code length between 1 and {MaxCodeLength}.");
        }

        return FromHex(text[..slash], codeLength);
    }

    /// <summary>Tries <see cref="Parse"/>; returns false instead of throwing.</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="code">The code, or null.</param>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out BinaryCode? code)
    {
        code = null;
        if (text is null)
        {
            return false;
        }

        try
        {
            code = Parse(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The Hamming distance between two codes of the same length.</summary>
    /// <param name="a">A code.</param>
    /// <param name="b">A code with the same <see cref="CodeLength"/>.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static int Distance(BinaryCode a, BinaryCode b)
    {
        Guard.NotNull(a);
        Guard.NotNull(b);
        if (a.CodeLength != b.CodeLength)
        {
            throw new ArgumentException($"Codes of different lengths ({a.CodeLength} and {b.CodeLength} bits) have no Hamming distance.", nameof(b));
        }

        return Kernels.HammingKernels.Distance(a._words, b._words);
    }

    /// <summary>The number of 1 bits.</summary>
    public int PopCount() => BitPacking.PopCount(_words);

    /// <summary>Copies the words to <paramref name="destination"/> (at least <see cref="WordCount"/> long).</summary>
    /// <param name="destination">The target span.</param>
    public void CopyTo(Span<ulong> destination) => _words.CopyTo(destination);

    /// <summary>The code as <c>ceil(CodeLength / 8)</c> bytes, bit <c>i</c> in bit <c>i % 8</c> of byte <c>i / 8</c>.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[(CodeLength + 7) >> 3];
        CopyBytesTo(bytes);
        return bytes;
    }

    /// <summary>Writes <c>ceil(CodeLength / 8)</c> bytes to <paramref name="destination"/> (layout as <see cref="ToBytes"/>).</summary>
    /// <param name="destination">The target span.</param>
    public void CopyBytesTo(Span<byte> destination) => BitPacking.WriteBytes(_words, CodeLength, destination);

    /// <summary>The code as booleans, one a bit.</summary>
    public bool[] ToBools()
    {
        var result = new bool[CodeLength];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = ((_words[i >> 6] >> (i & 63)) & 1UL) != 0;
        }

        return result;
    }

    /// <summary>The hexadecimal text form; see the remarks on <see cref="BinaryCode"/>.</summary>
    public override string ToString()
    {
        int digits = (CodeLength + 3) >> 2;
        var chars = new char[digits];
        for (int pos = 0; pos < digits; pos++)
        {
            int nibbleIndex = digits - 1 - pos;
            int value = (int)((_words[nibbleIndex >> 4] >> ((nibbleIndex & 15) << 2)) & 0xF);
            chars[pos] = "0123456789abcdef"[value];
        }

        string hex = new(chars);
        return (CodeLength & 3) == 0 ? hex : hex + "/" + CodeLength.ToString(CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public bool Equals(BinaryCode? other) =>
        other is not null && other.CodeLength == CodeLength && _words.AsSpan().SequenceEqual(other._words);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as BinaryCode);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(CodeLength);
        foreach (ulong w in _words)
        {
            hash.Add(w);
        }

        return hash.ToHashCode();
    }

    /// <summary>Value equality.</summary>
    /// <param name="left">A code or null.</param>
    /// <param name="right">A code or null.</param>
    public static bool operator ==(BinaryCode? left, BinaryCode? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Value inequality.</summary>
    /// <param name="left">A code or null.</param>
    /// <param name="right">A code or null.</param>
    public static bool operator !=(BinaryCode? left, BinaryCode? right) => !(left == right);

    internal static BinaryCode Wrap(ulong[] words, int codeLength) => new(words, codeLength);

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
