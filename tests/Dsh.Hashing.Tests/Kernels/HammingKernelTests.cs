using Dsh.Hashing.Kernels;
using Dsh.Hashing.Search;
using Dsh.Hashing.Tests.TestUtilities;

namespace Dsh.Hashing.Tests.Kernels;

/// <summary>Every kernel, at every code width and at counts around the vector widths, equals the naive distance.</summary>
public class HammingKernelTests
{
    public static TheoryData<HammingKernelKind, int> KindsAndBits()
    {
        var data = new TheoryData<HammingKernelKind, int>();
        // Only the kernels this CPU runs: the CI machine has AVX-512BW, so all three run there.
        foreach (HammingKernelKind kind in HammingKernels.RowMajor.Where(HammingKernels.IsSupported))
        {
            foreach (int bits in new[] { 1, 7, 63, 64, 65, 100, 128, 129, 192, 200, 256, 257, 320, 512, 513, 640, 1024, 4096 })
            {
                data.Add(kind, bits);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KindsAndBits))]
    public void Scan_AllWithinBits_ReportsEveryCodeWithItsNaiveDistance(HammingKernelKind kind, int bits)
    {
        int[] counts = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65];
        var rng = new Random(bits);
        foreach (int count in counts)
        {
            BinaryCode[] codes = Enumerable.Range(0, count).Select(_ => CodeGenerator.Random(rng, bits)).ToArray();
            BinaryCodeSet set = BinaryCodeSet.FromCodes(codes, bits);
            BinaryCode query = CodeGenerator.Random(rng, bits);
            foreach (int start in new[] { 0, Math.Min(1, count), count / 2 })
            {
                var sink = new RecordingSink(bits);
                HammingKernels.Scan(kind, query.Words, set.Words, set.WordsPerCode, start, count - start, sink);

                var expected = Enumerable.Range(start, count - start).Select(i => (i, CodeGenerator.NaiveDistance(query, codes[i]))).ToList();
                Assert.Equal(expected, sink.Found.OrderBy(x => x.Slot).ToList());
            }
        }
    }

    [Theory]
    [MemberData(nameof(KindsAndBits))]
    public void Scan_WithThreshold_ReportsExactlyTheCodesWithin(HammingKernelKind kind, int bits)
    {
        BinaryCode[] codes = CodeGenerator.Clustered(bits, 203, bits, 5, 0.1);
        BinaryCodeSet set = BinaryCodeSet.FromCodes(codes, bits);
        BinaryCode query = codes[17];
        int threshold = bits / 8;
        var sink = new RecordingSink(threshold);
        HammingKernels.Scan(kind, query.Words, set.Words, set.WordsPerCode, 0, codes.Length, sink);

        var expected = codes.Select((c, i) => (i, CodeGenerator.NaiveDistance(query, c))).Where(x => x.Item2 <= threshold).ToList();
        Assert.Equal(expected, sink.Found.OrderBy(x => x.Slot).ToList());
    }

    [Fact]
    public void Best_IsSupportedAndHasAVectorLoopWhenSimdIsPresent()
    {
        foreach (int bits in new[] { 32, 64, 128, 256, 512, 100, 4096 })
        {
            HammingKernelKind best = HammingKernels.Best(bits);
            Assert.True(HammingKernels.IsSupported(best));
            if (best != HammingKernelKind.Scalar)
            {
                Assert.True(HammingKernels.HasVectorLoop(best, (bits + 63) / 64));
            }
        }
    }

    [Fact]
    public void Kernel_UndefinedValue_Throws()
    {
        var index = new HammingIndex(64);
        Assert.Equal("value", Assert.Throws<ArgumentOutOfRangeException>(() => index.Kernel = (HammingKernelKind)42).ParamName);
    }

    [Fact]
    public void Scan_BitSliced_IsRejected_ItNeedsTheTransposedCopy()
    {
        Assert.Throws<ArgumentException>(() => HammingKernels.Scan(HammingKernelKind.BitSliced, new ulong[1], new ulong[8], 1, 0, 8, new RecordingSink(64)));
    }

    private sealed class RecordingSink : NeighborSink
    {
        public RecordingSink(int threshold) => Threshold = threshold;

        public List<(int Slot, int Distance)> Found { get; } = new();

        public override void Add(int distance, int slot)
        {
            Assert.True(distance <= Threshold, "a kernel reported a code beyond the threshold");
            Found.Add((slot, distance));
        }
    }
}
