using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Wafer.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Wafer.Benchmarks.InvokeBenchmarks).Assembly).Run(args);
