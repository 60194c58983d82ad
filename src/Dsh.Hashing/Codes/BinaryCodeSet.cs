using System.Collections;
using Dsh.Hashing.Codes;
using Dsh.Hashing.Internal;

namespace Dsh.Hashing;

/// <summary>
/// Many codes of one length in one contiguous <see cref="ulong"/> array, a row a code
/// (<see cref="WordsPerCode"/> words each, layout as <see cref="BinaryCode"/>). This is the form the
/// indexes store and <see cref="IHammingIndex.AddRange(IReadOnlyList{long}, BinaryCodeSet)"/> takes;
/// building one from a float matrix allocates the one array and nothing per code.
/// </summary>
public sealed class BinaryCodeSet : IReadOnlyList<BinaryCode>
{
    private readonly ulong[] _words;

    private BinaryCodeSet(ulong[] words, int codeLength, int count)
    {
        _words = words;
        CodeLength = codeLength;
        Count = count;
        WordsPerCode = (codeLength + 63) >> 6;
    }

    /// <summary>The length of every code, in bits.</summary>
    public int CodeLength { get; }

    /// <summary>The code length under its first name; use <see cref="CodeLength"/>.</summary>
    [Obsolete("Use CodeLength.")]
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public int Bits => CodeLength;

    /// <summary>The number of codes.</summary>
    public int Count { get; }

    /// <summary>Words a row: <c>ceil(CodeLength / 64)</c>.</summary>
    public int WordsPerCode { get; }

    /// <summary>All rows, back to back.</summary>
    public ReadOnlySpan<ulong> Words => _words.AsSpan(0, Count * WordsPerCode);

    /// <summary>Code <paramref name="index"/> as a new <see cref="BinaryCode"/>.</summary>
    /// <param name="index">0 to <see cref="Count"/> - 1.</param>
    public BinaryCode this[int index] => BinaryCode.Wrap(GetWords(index).ToArray(), CodeLength);

    /// <summary>The words of row <paramref name="index"/>, without copying.</summary>
    /// <param name="index">0 to <see cref="Count"/> - 1.</param>
    public ReadOnlySpan<ulong> GetWords(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Row index must be between 0 and {Count - 1}.");
        }

        return _words.AsSpan(index * WordsPerCode, WordsPerCode);
    }

    /// <summary>
    /// Packs the signs of a row-major float matrix (<c>count × dimensions</c>), bit = <c>value &gt; 0</c>.
    /// </summary>
    /// <param name="values">The matrix, <c>values.Length</c> a multiple of <paramref name="codeLength"/>.</param>
    /// <param name="codeLength">Columns = bits a code, 1 to <see cref="BinaryCode.MaxCodeLength"/>.</param>
    /// <exception cref="ArgumentException">The length does not fit, or a value is NaN (the message gives its row and column).</exception>
    public static BinaryCodeSet FromSigns(ReadOnlySpan<float> values, int codeLength)
    {
        Guard.CodeLengthInRange(codeLength);
        if (values.Length % codeLength != 0)
        {
            throw new ArgumentException($"values.Length ({values.Length}) is not a multiple of codeLength ({codeLength}).", nameof(values));
        }

        int count = values.Length / codeLength;
        int wordsPerCode = (codeLength + 63) >> 6;
        var words = new ulong[checked(count * wordsPerCode)];
        for (int row = 0; row < count; row++)
        {
            int nan = BitPacking.PackSigns(values.Slice(row * codeLength, codeLength), words.AsSpan(row * wordsPerCode, wordsPerCode));
            if (nan >= 0)
            {
                throw new ArgumentException($"values has NaN at row {row}, column {nan}; a sign cannot be taken.", nameof(values));
            }
        }

        return new BinaryCodeSet(words, codeLength, count);
    }

    /// <summary>Copies packed rows (<c>count × ceil(codeLength / 64)</c> words).</summary>
    /// <param name="words">The rows, back to back; unused high bits of each row must be zero.</param>
    /// <param name="codeLength">Bits a code.</param>
    public static BinaryCodeSet FromWords(ReadOnlySpan<ulong> words, int codeLength)
    {
        Guard.CodeLengthInRange(codeLength);
        int wordsPerCode = (codeLength + 63) >> 6;
        if (words.Length % wordsPerCode != 0)
        {
            throw new ArgumentException($"words.Length ({words.Length}) is not a multiple of {wordsPerCode} words a {codeLength}-bit code.", nameof(words));
        }

        long padded = BitPacking.FirstRowWithPadding(words, codeLength, wordsPerCode);
        if (padded >= 0)
        {
            throw new ArgumentException($"Row {padded} sets bits above bit {codeLength - 1}; they must be zero.", nameof(words));
        }

        return new BinaryCodeSet(words.ToArray(), codeLength, words.Length / wordsPerCode);
    }

    /// <summary>Copies rows of <c>ceil(codeLength / 8)</c> bytes each in the FAISS layout (see <see cref="BinaryCode.FromBytes"/>).</summary>
    /// <param name="bytes">The rows, back to back.</param>
    /// <param name="codeLength">Bits a code.</param>
    public static BinaryCodeSet FromBytes(ReadOnlySpan<byte> bytes, int codeLength)
    {
        Guard.CodeLengthInRange(codeLength);
        int bytesPerCode = (codeLength + 7) >> 3;
        if (bytes.Length % bytesPerCode != 0)
        {
            throw new ArgumentException($"bytes.Length ({bytes.Length}) is not a multiple of {bytesPerCode} bytes a {codeLength}-bit code.", nameof(bytes));
        }

        int count = bytes.Length / bytesPerCode;
        int wordsPerCode = (codeLength + 63) >> 6;
        var words = new ulong[checked(count * wordsPerCode)];
        var rowBytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(words.AsSpan());
        for (int row = 0; row < count; row++)
        {
            bytes.Slice(row * bytesPerCode, bytesPerCode).CopyTo(rowBytes.Slice(row * wordsPerCode * 8));
        }

        if (!BitConverter.IsLittleEndian)
        {
            System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(words, words);
        }

        long padded = BitPacking.FirstRowWithPadding(words, codeLength, wordsPerCode);
        if (padded >= 0)
        {
            throw new ArgumentException($"Row {padded} sets bits above bit {codeLength - 1} in its last byte; they must be zero.", nameof(bytes));
        }

        return new BinaryCodeSet(words, codeLength, count);
    }

    /// <summary>Copies codes of one length into a set.</summary>
    /// <param name="codes">The codes; all must have <paramref name="codeLength"/> bits.</param>
    /// <param name="codeLength">Bits a code.</param>
    public static BinaryCodeSet FromCodes(IEnumerable<BinaryCode> codes, int codeLength)
    {
        Guard.NotNull(codes);
        Guard.CodeLengthInRange(codeLength);
        int wordsPerCode = (codeLength + 63) >> 6;
        var list = codes as IReadOnlyCollection<BinaryCode> ?? codes.ToList();
        var words = new ulong[checked(list.Count * wordsPerCode)];
        int row = 0;
        foreach (BinaryCode code in list)
        {
            if (code is null)
            {
                throw new ArgumentException($"codes[{row}] is null.", nameof(codes));
            }

            if (code.CodeLength != codeLength)
            {
                throw new ArgumentException($"codes[{row}] has {code.CodeLength} bits; expected {codeLength}.", nameof(codes));
            }

            code.Words.CopyTo(words.AsSpan(row * wordsPerCode));
            row++;
        }

        return new BinaryCodeSet(words, codeLength, row);
    }

    /// <summary>Writes row <paramref name="index"/> as bytes (FAISS layout) into <paramref name="destination"/>.</summary>
    /// <param name="index">The row.</param>
    /// <param name="destination">At least <c>ceil(CodeLength / 8)</c> bytes.</param>
    public void CopyBytesTo(int index, Span<byte> destination) => BitPacking.WriteBytes(GetWords(index), CodeLength, destination);

    /// <inheritdoc />
    public IEnumerator<BinaryCode> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Wraps rows the caller has already validated.</summary>
    internal static BinaryCodeSet FromOwnedWords(ulong[] words, int codeLength, int count) => new(words, codeLength, count);
}
