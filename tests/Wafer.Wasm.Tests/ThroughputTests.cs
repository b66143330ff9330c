using System.Diagnostics;
using Wafer.Protocol.Calls;
using Wafer.Protocol.Manifest;
using Wafer.Wasm.Tests.Support;

namespace Wafer.Wasm.Tests;

/// <summary>
/// Quick throughput figures printed with the test output (BenchmarkDotNet is for real numbers). The bounds are
/// loose on purpose: they catch a hot path that regressed by orders of magnitude, not noise.
/// </summary>
public sealed class ThroughputTests(HostFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void Invoke_FreshInstanceEcho_ManyThousandsPerSecond()
    {
        var rate = Measure(fixture.Module("echo"), threads: 1);
        var parallel = Measure(fixture.Module("echo"), threads: Environment.ProcessorCount);
        output.WriteLine($"fresh-instance echo: {rate:N0} calls/s on 1 thread, {parallel:N0} calls/s on {Environment.ProcessorCount}");

        Assert.True(rate > 2_000, $"only {rate:N0} calls/s");
    }

    [Fact]
    public void Invoke_ReusedInstanceEcho_ManyThousandsPerSecond()
    {
        var rate = Measure(fixture.Module("echo", PluginLimits.Default, reuse: true), threads: 1);
        output.WriteLine($"reused-instance echo: {rate:N0} calls/s on 1 thread");

        Assert.True(rate > 2_000, $"only {rate:N0} calls/s");
    }

    private static double Measure(WasmModule module, int threads)
    {
        var args = "[\"hello\",1]"u8.ToArray();
        var context = new RecordingContext();
        for (var i = 0; i < 2000; i++)
        {
            module.Invoke(0, args, context);
        }

        long calls = 0;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
        {
            var n = 0L;
            while (clock.ElapsedMilliseconds < 1000)
            {
                for (var i = 0; i < 100; i++)
                {
                    if (module.Invoke(0, args, context).Status != CallStatus.Ok)
                    {
                        throw new InvalidOperationException("call failed");
                    }
                }

                n += 100;
            }

            Interlocked.Add(ref calls, n);
        });

        return calls / clock.Elapsed.TotalSeconds;
    }
}
