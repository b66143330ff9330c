using BenchmarkDotNet.Attributes;
using Prometheus;
using Wafer.Protocol.Calls;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Invocation;
using Wafer.Runtime.Telemetry;

namespace Wafer.Benchmarks;

/// <summary>What recording one call for <c>GET /metrics</c> adds to it: a counter and a histogram, found by labels.</summary>
[MemoryDiagnoser]
public class MetricsBenchmarks
{
    private readonly RuntimeMetrics _metrics = new(Metrics.NewCustomRegistry(), new PluginCatalog(), new CallCounters());
    private readonly CallOutcome _ok = new("c-1", CallStatus.Ok, "\"hello\""u8.ToArray(), null, TimeSpan.FromMicroseconds(40));

    [Benchmark(Description = "record a finished call")]
    public void CallFinished() => _metrics.CallFinished("hello", "greet", _ok);
}
