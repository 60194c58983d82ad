using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Dsh.Hashing;
using Dsh.Hashing.Kernels;
using Dsh.Hashing.Kernels.BitSliced;
using Dsh.Hashing.Search;

namespace Dsh.Benchmarks.Hashing;

/// <summary>
/// Raw distance throughput: one query against 100k uniform codes, each distance compared with a threshold
/// of bits / 4 (a 4–6 sigma tail, so almost no top-k work), for each row-major kernel and the bit-sliced one. The baseline is TensorPrimitives.HammingBitDistance a row.
/// </summary>
public class KernelBenchmarks
{
    private const int Count = 100_000;
    private BinaryCodeSet _codes = null!;
    private ulong[] _query = null!;
    private BitSlicedStore _sliced = null!;
    private BitSlicedQuery _slicedQuery = null!;
    private CountingSink _none = null!;

    [Params(64, 128, 256)]
    public int Bits { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _codes = CodeData.Generate(Count, Bits, CodeDistribution.Uniform, 1);
        _query = CodeData.Generate(1, Bits, CodeDistribution.Uniform, 99).GetWords(0).ToArray();
        _none = new CountingSink(Bits / 4);
        _sliced = new BitSlicedStore(Bits);
        _sliced.AppendRange(_codes.Words);
        _slicedQuery = _sliced.Prepare(_query);
    }

    [Benchmark(Baseline = true, Description = "TensorPrimitives.HammingBitDistance")]
    public long TensorPrimitivesBaseline()
    {
        long sum = 0;
        int w = _codes.WordsPerCode;
        ReadOnlySpan<ulong> all = _codes.Words;
        for (int i = 0; i < Count; i++)
        {
            sum += TensorPrimitives.HammingBitDistance<ulong>(_query, all.Slice(i * w, w));
        }

        return sum;
    }

    [Benchmark]
    public void Scalar() => HammingKernels.Scan(HammingKernelKind.Scalar, _query, _codes.Words, _codes.WordsPerCode, 0, Count, _none);

    [Benchmark]
    public void Avx2() => HammingKernels.Scan(HammingKernelKind.Avx2, _query, _codes.Words, _codes.WordsPerCode, 0, Count, _none);

    [Benchmark]
    public void Avx512() => HammingKernels.Scan(HammingKernelKind.Avx512, _query, _codes.Words, _codes.WordsPerCode, 0, Count, _none);

    [Benchmark]
    public void BitSliced() => _sliced.Scan(_slicedQuery, 0, _sliced.BlockCount, _none);

    private sealed class CountingSink : NeighborSink
    {
        public CountingSink(int threshold) => Threshold = threshold;

        public int Found { get; private set; }

        public override void Add(int distance, int slot) => Found++;
    }
}
