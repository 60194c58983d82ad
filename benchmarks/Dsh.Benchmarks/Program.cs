// Dsh benchmarks (BenchmarkDotNet). Run all, or pick with a filter:
//   dotnet run -c Release --project benchmarks/Dsh.Benchmarks -- --filter '*SearchBenchmarks*'
// Add --job short for a quick look; docs/performance.md lists the exact commands behind its tables.
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Dsh.Benchmarks.BenchmarkConfig).Assembly).Run(args, new Dsh.Benchmarks.BenchmarkConfig());
