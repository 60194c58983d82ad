using BenchmarkDotNet.Attributes;
using Dsh.Hashing;

namespace Dsh.Benchmarks.Hashing;

/// <summary>
/// Multi-index hashing against the flat scan, 1M codes, k = 10, single queries, on uniform random codes
/// (MIH's worst case) and on clustered codes (as learned codes are). Queries are drawn like the data.
/// </summary>
public class MultiIndexHashBenchmarks
{
    private const int Queries = 64;
    private HammingIndex _flat = null!;
    private MultiIndexHashIndex _mih = null!;
    private BinaryCode[] _queries = null!;

    [Params(1_000_000)]
    public int N { get; set; }

    [Params(64, 128)]
    public int Bits { get; set; }

    [Params(CodeDistribution.Uniform, CodeDistribution.Clustered)]
    public CodeDistribution Codes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        BinaryCodeSet codes = CodeData.Generate(N, Bits, Codes, 1);
        long[] ids = CodeData.Ids(N);
        _flat = new HammingIndex(Bits);
        _flat.AddRange(ids, codes);
        _mih = new MultiIndexHashIndex(Bits);
        _mih.AddRange(ids, codes);
        // Same distribution as the data (same seed for the centres, other noise).
        _queries = CodeData.Generate(N + Queries, Bits, Codes, 1).Skip(N).ToArray();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Queries)]
    public int Flat() => Run(_flat);

    [Benchmark(OperationsPerInvoke = Queries)]
    public int MultiIndexHash() => Run(_mih);

    private int Run(IHammingIndex index)
    {
        int found = 0;
        foreach (BinaryCode q in _queries)
        {
            found += index.Search(q, 10).Count;
        }

        return found;
    }
}
