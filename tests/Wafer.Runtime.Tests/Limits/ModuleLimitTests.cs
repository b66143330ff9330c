using System.Diagnostics;
using System.Net;
using Wafer.Runtime.Tests.Support;
using Wafer.Tests.Support;
using Wafer.Wasm;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Limits;

/// <summary>
/// What a module may hold (docs/security.md, "Limits"): a module past a limit is refused with the limit and its flag,
/// before it is compiled, and nothing changes; a module within every limit loads and serves.
/// </summary>
public sealed class ModuleLimitTests : IAsyncLifetime
{
    private RuntimeServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await RuntimeServer.StartAsync(["echo"], o =>
    {
        o.MaxFunctions = 50;
        o.ModuleLimits = new ModuleLimits { MaxBytes = 256 * 1024, MaxFunctions = 200, MaxImports = 10, MaxExports = 20, MaxMetadataBytes = 8 * 1024 };
    });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string, int, int, int, int, int, string> OverALimit => new()
    {
        { "functions", 199, 1, 0, 0, 0, "201 functions, over the limit of 200 (--maxModuleFunctions)" },
        { "imports", 10, 1, 11, 0, 0, "11 imports, over the limit of 10 (--maxModuleImports)" },
        { "exports", 30, 1, 0, 18, 0, "21 exports, over the limit of 20 (--maxModuleExports)" },
        { "metadata", 10, 1, 0, 0, 9000, "over the limit of 8192 (--maxMetadataBytes)" },
        { "declared", 60, 51, 0, 0, 0, "declares 51 functions, over the limit of 50 (--maxFunctions)" },
        { "bytes", 10, 1, 0, 0, 0, "over the limit of 262144 (--maxModuleBytes)" },
    };

    [Theory]
    [MemberData(nameof(OverALimit))]
    public async Task Module_OverALimit_RefusedNamingTheFlag_NothingLoaded(string limit, int functions, int declared, int imports, int exports, int padding, string expected)
    {
        var wasm = GeneratedModule.Build(functions, declared, imports, exports, padding);
        if (limit == "bytes")
        {
            wasm = [.. wasm, .. CustomSection("padding", 300 * 1024)];
        }

        // written whole, then moved in: the reloader could otherwise read the file half written and refuse that
        var target = Path.Combine(_server.PluginsPath, "big.wasm");
        File.WriteAllBytes(target + ".part", wasm);
        File.Move(target + ".part", target);

        string? error = null;
        await Eventually.TrueAsync(() => (error = RefusalOf("big")) is not null, "the refusal of big", TimeSpan.FromSeconds(30));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain(_server.Catalog.Current.Plugins, p => p.Name == "big");
        var (response, _) = await _server.PostJsonAsync("/functions/big/f0", "{}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Module_WithinEveryLimit_LoadsAndServes()
    {
        File.WriteAllBytes(Path.Combine(_server.PluginsPath, "fits.wasm"), GeneratedModule.Build(198, 50, 10, 17));

        await Eventually.TrueAsync(() => _server.Catalog.Current.Plugins.Any(p => p.Name == "fits"), "fits to load", TimeSpan.FromSeconds(60));
        var (response, body) = await _server.PostJsonAsync("/functions/fits/f49", "{}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("result").ValueKind);
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public void ManyFunctions_RefusedBeforeCompiling()
    {
        // 200,000 functions would take the compiler minutes and gigabytes; the refusal comes from counting them.
        using var host = new WasmHost(new WasmHostOptions { CacheDirectory = Path.Combine(Path.GetTempPath(), "wafer-tests", Guid.NewGuid().ToString("N")[..12]) },
            Microsoft.Extensions.Logging.Abstractions.NullLogger<WasmHost>.Instance);
        var wasm = GeneratedModule.Build(200_000, 1);
        var clock = Stopwatch.StartNew();

        var refused = Assert.Throws<WasmLoadException>(() => host.Load(wasm, "many", Wafer.Protocol.Manifest.PluginLimits.Default, reuseInstances: false));

        Assert.Contains($"200002 functions, over the limit of {ModuleLimits.DefaultMaxFunctions} (--maxModuleFunctions)", refused.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"refusing took {clock.Elapsed}");
    }

    private string? RefusalOf(string name)
    {
        var path = Path.Combine(_server.PluginsPath, name + ".wasm");
        return _server.Services.GetRequiredService<Wafer.Runtime.Catalog.PluginReloader>().Status.FirstOrDefault(s => s.SourcePath == path)?.Error;
    }

    private static byte[] CustomSection(string name, int size)
    {
        var nameBytes = System.Text.Encoding.UTF8.GetBytes(name);
        var content = new byte[1 + nameBytes.Length + size];
        content[0] = (byte)nameBytes.Length;
        nameBytes.CopyTo(content, 1);
        var length = new List<byte>();
        var value = (uint)content.Length;
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            length.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [0, .. length, .. content];
    }
}
