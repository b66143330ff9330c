using System.Diagnostics;
using Wafer.Protocol.Calls;
using Wafer.Protocol.Manifest;
using Wafer.Wasm.Tests.Support;

namespace Wafer.Wasm.Tests;

public sealed class CacheTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _cacheDirectory = TempDirectory.Create("wafer-cache-tests");

    [Fact]
    [Trait("Timing", "Sensitive")]
    public void Load_SecondTime_ComesFromTheCacheQuickly()
    {
        var bytes = Guests.Bytes("echo");
        var logger = new RecordingLogger<WasmHost>();
        using var host = new WasmHost(HostFixture.TestOptions(_cacheDirectory), logger);

        using (var first = host.Load(bytes, "echo", PluginLimits.Default, false))
        {
            Assert.False(first.LoadedFromCache);
            output.WriteLine($"compiled in {first.LoadTime.TotalMilliseconds:F2} ms");
        }

        var file = Assert.Single(Directory.GetFiles(_cacheDirectory));
        Assert.StartsWith(WasmHost.Sha256Hex(bytes) + "-wt", Path.GetFileName(file), StringComparison.Ordinal);

        using var second = host.Load(bytes, "echo", PluginLimits.Default, false);
        Assert.True(second.LoadedFromCache);
        Assert.True(second.LoadTime < TimeSpan.FromMilliseconds(200), $"cached load took {second.LoadTime.TotalMilliseconds} ms");
        Assert.Equal(CallStatus.Ok, second.Invoke(0, "[1]"u8, RecordingContext.None).Status);
        Assert.True(logger.Has("ModuleCompiled"));
        Assert.True(logger.Has("ModuleLoadedFromCache"));

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            using var again = host.Load(bytes, "echo", PluginLimits.Default, false);
        }

        output.WriteLine($"cached load: {second.LoadTime.TotalMilliseconds:F2} ms first, {clock.Elapsed.TotalMilliseconds / 20:F2} ms average of 20");
    }

    [Fact]
    public void Load_NewHostSameDirectory_UsesTheCache()
    {
        var bytes = Guests.Bytes("counter");
        using (var host = new WasmHost(HostFixture.TestOptions(_cacheDirectory), new RecordingLogger<WasmHost>()))
        {
            host.Load(bytes, "counter", PluginLimits.Default, false).Dispose();
        }

        using var restarted = new WasmHost(HostFixture.TestOptions(_cacheDirectory), new RecordingLogger<WasmHost>());
        using var module = restarted.Load(bytes, "counter", PluginLimits.Default, false);

        Assert.True(module.LoadedFromCache);
        Assert.Equal(CallStatus.Ok, module.Invoke(0, "[]"u8, RecordingContext.None).Status);
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("garbage")]
    public void Load_CorruptCacheFile_IsDeletedAndRecompiled(string damage)
    {
        var bytes = Guests.Bytes("echo");
        var logger = new RecordingLogger<WasmHost>();
        using var host = new WasmHost(HostFixture.TestOptions(_cacheDirectory), logger);
        host.Load(bytes, "echo", PluginLimits.Default, false).Dispose();
        var file = Assert.Single(Directory.GetFiles(_cacheDirectory));
        Damage(file, damage);

        using var module = host.Load(bytes, "echo", PluginLimits.Default, false);

        Assert.False(module.LoadedFromCache);
        Assert.True(logger.Has("CacheEntryCorrupt"));
        Assert.Equal(CallStatus.Ok, module.Invoke(0, "[1]"u8, RecordingContext.None).Status);
        using var repaired = host.Load(bytes, "echo", PluginLimits.Default, false);
        Assert.True(repaired.LoadedFromCache);
    }

    [Fact]
    public void Load_FuelAndNoFuel_AreCachedSeparately()
    {
        var bytes = Guests.Bytes("echo");
        using var host = new WasmHost(HostFixture.TestOptions(_cacheDirectory), new RecordingLogger<WasmHost>());

        host.Load(bytes, "echo", PluginLimits.Default, false).Dispose();
        using var metered = host.Load(bytes, "echo", new PluginLimits { Fuel = 1_000_000 }, false);

        Assert.False(metered.LoadedFromCache);
        var names = Directory.GetFiles(_cacheDirectory).Select(Path.GetFileName).ToList();
        Assert.Equal(2, names.Count);
        Assert.Contains(names, n => n!.Contains("-fuel-", StringComparison.Ordinal));
        Assert.Contains(names, n => n!.Contains("-nofuel-", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_UnwritableCacheDirectory_StillLoads()
    {
        var blocker = Path.Combine(_cacheDirectory, "not-a-directory");
        File.WriteAllText(blocker, "a file where the cache directory should be");
        var logger = new RecordingLogger<WasmHost>();
        using var host = new WasmHost(HostFixture.TestOptions(blocker), logger);

        using var module = host.Load(Guests.Bytes("echo"), "echo", PluginLimits.Default, false);

        Assert.Equal(CallStatus.Ok, module.Invoke(0, "[1]"u8, RecordingContext.None).Status);
        Assert.True(logger.Has("CacheWriteFailed"));
    }

    public void Dispose() => TempDirectory.Delete(_cacheDirectory);

    private static void Damage(string file, string how)
    {
        var data = File.ReadAllBytes(file);
        switch (how)
        {
            case "flip":
                data[data.Length / 2] ^= 0xFF;
                File.WriteAllBytes(file, data);
                break;
            case "truncate":
                File.WriteAllBytes(file, data.AsSpan(0, data.Length / 3).ToArray());
                break;
            default:
                File.WriteAllText(file, "definitely not machine code");
                break;
        }
    }
}
