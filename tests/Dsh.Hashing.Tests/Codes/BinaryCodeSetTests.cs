using Dsh.Hashing.Tests.TestUtilities;

namespace Dsh.Hashing.Tests.Codes;

public class BinaryCodeSetTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(128)]
    [InlineData(300)]
    public void FromSigns_EqualsOneCodeAtATime(int bits)
    {
        var rng = new Random(bits);
        const int count = 37;
        float[] matrix = Enumerable.Range(0, count * bits).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();

        BinaryCodeSet set = BinaryCodeSet.FromSigns(matrix, bits);

        Assert.Equal(count, set.Count);
        Assert.Equal(bits, set.CodeLength);
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(BinaryCode.FromSigns(matrix.AsSpan(i * bits, bits)), set[i]);
        }
    }

    [Fact]
    public void FromSigns_NaN_NamesRowAndColumn()
    {
        float[] matrix = new float[3 * 8];
        matrix[(2 * 8) + 5] = float.NaN;
        var ex = Assert.Throws<ArgumentException>(() => BinaryCodeSet.FromSigns(matrix, 8));
        Assert.Contains("row 2, column 5", ex.Message);
    }

    [Fact]
    public void FromSigns_LengthNotMultiple_Throws()
    {
        Assert.Throws<ArgumentException>(() => BinaryCodeSet.FromSigns(new float[10], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => BinaryCodeSet.FromSigns(new float[10], 0));
    }

    [Fact]
    public void FromBytes_FromWords_FromCodes_Agree()
    {
        BinaryCode[] codes = CodeGenerator.Uniform(5, 20, 72);
        BinaryCodeSet fromCodes = BinaryCodeSet.FromCodes(codes, 72);
        byte[] bytes = codes.SelectMany(c => c.ToBytes()).ToArray();
        BinaryCodeSet fromBytes = BinaryCodeSet.FromBytes(bytes, 72);
        BinaryCodeSet fromWords = BinaryCodeSet.FromWords(fromCodes.Words, 72);

        Assert.Equal(codes, fromBytes.ToArray());
        Assert.Equal(codes, fromWords.ToArray());
        Assert.Equal(2, fromCodes.WordsPerCode);
        var row = new byte[9];
        fromCodes.CopyBytesTo(3, row);
        Assert.Equal(codes[3].ToBytes(), row);
    }

    [Fact]
    public void CopyBytesTo_ShortDestination_ThrowsNamingIt()
    {
        BinaryCodeSet set = BinaryCodeSet.FromCodes(CodeGenerator.Uniform(1, 2, 72), 72);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => set.CopyBytesTo(0, new byte[8])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => set[0].CopyBytesTo(new byte[8])).ParamName);
        Assert.Equal("bytes", Assert.Throws<ArgumentException>(() => BinaryCodeSet.FromBytes([0xFF, 0x01], 4)).ParamName);
    }

    [Fact]
    public void FromCodes_WrongLengthOrNull_Throws()
    {
        Assert.Throws<ArgumentException>(() => BinaryCodeSet.FromCodes([BinaryCode.FromBools([true])], 2));
        Assert.Throws<ArgumentException>(() => BinaryCodeSet.FromCodes([null!], 2));
        Assert.Throws<ArgumentException>(() => BinaryCodeSet.FromWords([ulong.MaxValue], 3));
    }
}
