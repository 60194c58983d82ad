using System.Numerics.Tensors;
using Dsh.Hashing.Tests.TestUtilities;

namespace Dsh.Hashing.Tests.Codes;

public class BinaryCodeTests
{
    public static TheoryData<int> Lengths => new() { 1, 2, 3, 4, 5, 7, 8, 9, 31, 32, 33, 63, 64, 65, 127, 128, 129, 192, 255, 256, 257, 511, 512, 513, 1000, 4096 };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void FromSigns_PositiveIsOne_ZeroAndNegativeAreZero(int bits)
    {
        var rng = new Random(bits);
        float[] values = Enumerable.Range(0, bits).Select(_ => (float)(rng.Next(3) - 1) * (float)rng.NextDouble()).ToArray();
        if (bits > 2)
        {
            values[1] = -0f;
            values[2] = 0f;
        }

        BinaryCode code = BinaryCode.FromSigns(values);

        Assert.Equal(bits, code.CodeLength);
        for (int i = 0; i < bits; i++)
        {
            Assert.Equal(values[i] > 0, code[i]);
        }

        AssertHighBitsZero(code);
    }

    [Fact]
    public void FromSigns_NaN_ThrowsNamingTheIndex()
    {
        float[] values = new float[100];
        values[70] = float.NaN;
        var ex = Assert.Throws<ArgumentException>(() => BinaryCode.FromSigns(values));
        Assert.Contains("values[70]", ex.Message);
        Assert.Equal("values", ex.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4097)]
    public void FromSigns_LengthOutOfRange_Throws(int length)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BinaryCode.FromSigns(new float[length]));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Bools_Bytes_Words_Hex_RoundTrip(int bits)
    {
        var rng = new Random(bits * 7);
        bool[] b = Enumerable.Range(0, bits).Select(_ => rng.Next(2) == 1).ToArray();
        BinaryCode code = BinaryCode.FromBools(b);

        Assert.Equal(b, code.ToBools());
        Assert.Equal(code, BinaryCode.FromBytes(code.ToBytes(), bits));
        Assert.Equal(code, BinaryCode.FromWords(code.Words, bits));
        Assert.Equal(code, BinaryCode.FromHex(code.ToString().Split('/')[0], bits));
        Assert.Equal(code, BinaryCode.Parse(code.ToString()));
        Assert.True(BinaryCode.TryParse(code.ToString(), out BinaryCode? parsed));
        Assert.Equal(code, parsed);
        Assert.Equal(code.GetHashCode(), parsed!.GetHashCode());
    }

    [Fact]
    public void Bytes_UseFaissBitOrder()
    {
        // Bit i is bit i % 8 of byte i / 8.
        var code = BinaryCode.FromBools([true, false, false, false, false, false, false, false, false, true]);
        Assert.Equal(new byte[] { 0x01, 0x02 }, code.ToBytes());
    }

    [Fact]
    public void Hex_IsMostSignificantNibbleFirst()
    {
        var code = BinaryCode.FromBools([true, false, false, false, true, true]); // bits 0, 4, 5
        Assert.Equal("31/6", code.ToString());
        Assert.Equal("0001", BinaryCode.FromBools(Enumerable.Range(0, 16).Select(i => i == 0).ToArray()).ToString());
        Assert.Equal("8000", BinaryCode.FromBools(Enumerable.Range(0, 16).Select(i => i == 15).ToArray()).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("xyz")]
    [InlineData("12/0")]
    [InlineData("12/abc")]
    [InlineData("ff/5")]
    [InlineData("123/5")]
    public void Parse_Invalid_ThrowsFormatException(string text)
    {
        Assert.Throws<FormatException>(() => BinaryCode.Parse(text));
        Assert.False(BinaryCode.TryParse(text, out _));
    }

    [Fact]
    public void FromWords_HighBitsSet_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => BinaryCode.FromWords([1UL << 10], 10));
        Assert.Contains("above bit 9", ex.Message);
        Assert.Throws<ArgumentException>(() => BinaryCode.FromWords([0UL, 0UL], 64));
        Assert.Throws<ArgumentException>(() => BinaryCode.FromBytes([0xFF], 4));
        Assert.Throws<ArgumentException>(() => BinaryCode.FromBytes([0x0F, 0], 4));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Distance_EqualsNaiveAndTensorPrimitives(int bits)
    {
        var rng = new Random(bits * 13);
        for (int trial = 0; trial < 20; trial++)
        {
            BinaryCode a = CodeGenerator.Random(rng, bits), b = CodeGenerator.Random(rng, bits);
            int d = BinaryCode.Distance(a, b);
            Assert.Equal(CodeGenerator.NaiveDistance(a, b), d);
            Assert.Equal(TensorPrimitives.HammingBitDistance(a.Words, b.Words), d);
            Assert.Equal(0, BinaryCode.Distance(a, a));
        }
    }

    [Fact]
    public void Distance_DifferentLengths_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => BinaryCode.Distance(BinaryCode.FromBools([true]), BinaryCode.FromBools([true, false])));
        Assert.Contains("different lengths", ex.Message);
        Assert.Throws<ArgumentNullException>(() => BinaryCode.Distance(null!, BinaryCode.FromBools([true])));
    }

    [Fact]
    public void Equality_DependsOnBitsAndWords()
    {
        var a = BinaryCode.FromBools([true, false]);
        var b = BinaryCode.FromBools([true, false]);
        var c = BinaryCode.FromBools([true, false, false]);
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.NotEqual(a, c);
        Assert.False(a.Equals(null));
        Assert.True((BinaryCode?)null == null);
    }

    [Fact]
    public void Indexer_OutOfRange_Throws()
    {
        var code = BinaryCode.FromBools([true, false]);
        Assert.Throws<ArgumentOutOfRangeException>(() => code[2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => code[-1]);
    }

    private static void AssertHighBitsZero(BinaryCode code)
    {
        int rem = code.CodeLength % 64;
        if (rem != 0)
        {
            Assert.Equal(0UL, code.Words[^1] >> rem);
        }
    }
}
