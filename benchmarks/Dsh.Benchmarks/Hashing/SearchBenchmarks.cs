using BenchmarkDotNet.Attributes;
using Dsh.Hashing;

namespace Dsh.Benchmarks.Hashing;

/// <summary>
/// Exact k-NN with <see cref="HammingIndex"/>: one query at a time, and a batch of 256 queries on one
/// thread and on all cores. Reported times are per query (OperationsPerInvoke).
/// </summary>
public class SearchBenchmarks
{
    /// <summary>Queries a batch (and a "Single" run, one at a time).</summary>
    public const int Queries = 256;

    /// <summary>Seeds shared with <see cref="RawCodeExport"/> so that the FAISS peer sees the same codes.</summary>
    public const int DataSeed = 1, QuerySeed = 2;
    private HammingIndex _index = null!;
    private BinaryCode[] _queries = null!;

    [Params(100_000, 1_000_000)]
    public int N { get; set; }

    [Params(64, 128, 256)]
    public int Bits { get; set; }

    [Params(10, 100)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        BinaryCodeSet codes = CodeData.Generate(N, Bits, CodeDistribution.Uniform, DataSeed);
        _index = new HammingIndex(Bits);
        _index.AddRange(CodeData.Ids(N), codes);
        _queries = CodeData.Generate(Queries, Bits, CodeDistribution.Uniform, QuerySeed).ToArray();
    }

    [Benchmark(OperationsPerInvoke = Queries)]
    public int Single()
    {
        int found = 0;
        foreach (BinaryCode q in _queries)
        {
            found += _index.Search(q, K).Count;
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = Queries)]
    public int BatchOneThread() => _index.SearchBatch(_queries, K, maxDegreeOfParallelism: 1).Count;

    [Benchmark(OperationsPerInvoke = Queries)]
    public int BatchAllCores() => _index.SearchBatch(_queries, K).Count;
}
