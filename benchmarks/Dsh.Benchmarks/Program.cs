// Dsh benchmarks (BenchmarkDotNet). Run all, or pick with a filter:
//   dotnet run -c Release --project benchmarks/Dsh.Benchmarks -- --filter '*SearchBenchmarks*'
// Export the benchmark's own codes as raw files for the FAISS peer (benchmarks/peers/faiss_bench.py):
//   dotnet run -c Release --project benchmarks/Dsh.Benchmarks -- export-codes 1000000 128 /tmp/db.bin /tmp/q.bin
// Quick timing of one DSH train step without BenchmarkDotNet (profile, batch, steps, threads):
//   dotnet run -c Release --project benchmarks/Dsh.Benchmarks -- train-step compact 32 10 2
// Frozen ImageNet-feature baselines (ITQ, linear supervised hash, LSH) on a PACS validation split (docs/results.md):
//   dotnet benchmarks/Dsh.Benchmarks/bin/Release/net10.0/Dsh.Benchmarks.dll frozen-baselines [pacsRoot] [outDir]
// DSH on the same PACS split (bits, epochs, profile compact|resnet18, then key=value options, see DshPacsTraining):
//   dotnet benchmarks/Dsh.Benchmarks/bin/Release/net10.0/Dsh.Benchmarks.dll dsh-pacs 64 15
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
if (args.Length > 0 && args[0] == "dsh-pacs")
{
    return Dsh.Benchmarks.Results.DshPacsTraining.Run(args[1..]);
}
if (args.Length > 0 && args[0] == "frozen-baselines")
{
    return Dsh.Benchmarks.Results.FrozenBaselines.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Dsh.Benchmarks.BenchmarkConfig).Assembly).Run(args, new Dsh.Benchmarks.BenchmarkConfig());
return 0;
