using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Dsh.Hashing;
using Dsh.Hashing.Kernels;
using Dsh.Hashing.Search;

namespace Dsh.Benchmarks.Hashing;

/// <summary>
/// Raw distance throughput: one query against 100k codes, every distance computed and compared with a
/// threshold no code passes (so no top-k work). The baseline is TensorPrimitives.HammingBitDistance a row.
/// </summary>
public class KernelBenchmarks
{
    private const int Count = 100_000;
    private BinaryCodeSet _codes = null!;
    private ulong[] _query = null!;
    private readonly NeighborSink _none = new RejectAll();

    [Params(64, 128, 256)]
    public int Bits { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _codes = CodeData.Generate(Count, Bits, CodeDistribution.Uniform, 1);
        _query = _codes.GetWords(0).ToArray();
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

    private sealed class RejectAll : NeighborSink
    {
        public RejectAll() => Threshold = -1;

        public override void Add(int distance, int slot) => throw new InvalidOperationException("no code is within -1");
    }
}
