// Dsh benchmarks (BenchmarkDotNet). Run all, or pick with a filter:
//   dotnet run -c Release --project benchmarks/Dsh.Benchmarks -- --filter '*SearchBenchmarks*'
// Export the benchmark's own codes as raw files for the FAISS peer (benchmarks/peers/faiss_bench.py):
//   dotnet run -c Release --project benchmarks/Dsh.Benchmarks -- export-codes 1000000 128 /tmp/db.bin /tmp/q.bin
// Quick timing of one DSH train step without BenchmarkDotNet (profile, batch, steps, threads):
//   dotnet run -c Release --project benchmarks/Dsh.Benchmarks -- train-step compact 32 10 2
// Retrieval quality on real data (DSH and baselines, docs/results.md) lives in benchmarks/Dsh.Quality.
// docs/performance.md lists the exact commands behind its tables.
using BenchmarkDotNet.Running;
using Dsh.Benchmarks.Hashing;

if (args.Length > 0 && args[0] == "export-codes")
{
    return RawCodeExport.Run(args[1..]);
}
if (args.Length > 0 && args[0] == "train-step")
{
    return Dsh.Benchmarks.Model.TrainStepTiming.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Dsh.Benchmarks.BenchmarkConfig).Assembly).Run(args, new Dsh.Benchmarks.BenchmarkConfig());
return 0;
