using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wafer.Protocol.Metadata;
using Wafer.Protocol.Routes;
using Wafer.Runtime.Agent;
using Wafer.Runtime.Hosting;
using Wafer.Tests.Shared;

namespace Wafer.Gateway.Tests.Support;

/// <summary>
/// A real runtime in this process on loopback, with its call port, serving test guests (hello, faults, c-wagi) from a
/// plugins folder of its own. It is started as a fleet runtime (the agent on), so it opens the call port gateways use;
/// its broker address is a port nothing listens on, so it joins no fleet and no orchestrator is involved.
/// </summary>
public sealed class RealRuntime : IAsyncDisposable
{
    private static readonly string[] Guests = ["hello", "faults", "c-wagi"];
    private readonly WebApplication _app;
    private readonly string _root;

    private RealRuntime(WebApplication app, string root, RuntimeAgent agent)
    {
        _app = app;
        _root = root;
        Url = agent.Url!;
        CallUrl = agent.H2cUrl!;
    }

    /// <summary>The runtime's HTTP address.</summary>
    public string Url { get; }

    /// <summary>Its call port (announced as <c>h2cUrl</c>).</summary>
    public string CallUrl { get; }

    public static async Task<RealRuntime> StartAsync(string name, int maxRequestBytes = 4 * 1024 * 1024)
    {
        var root = Path.Combine(Path.GetTempPath(), "wafer-gateway-tests", Guid.NewGuid().ToString("N")[..12]);
        var plugins = Path.Combine(root, "plugins");
        var storage = Path.Combine(root, "storage");
        Directory.CreateDirectory(plugins);
        Directory.CreateDirectory(storage);
        foreach (var guest in Guests)
        {
            File.Copy(GuestFile(guest + ".wasm"), Path.Combine(plugins, guest + ".wasm"));
            File.Copy(GuestFile(guest + ".wafer.json"), Path.Combine(plugins, guest + ".wafer.json"));
        }

        // faults.spin runs until the call's time limit: a long call that does not hold a core for the default 10 s.
        File.WriteAllText(Path.Combine(plugins, "faults.wafer.json"), """{ "name": "faults", "limits": { "timeoutMs": 1500 } }""");

        // Compiled code is cached by content hash: share the test guests' cache so each runtime does not compile again.
        Directory.CreateSymbolicLink(Path.Combine(storage, "cache"), Path.Combine(Path.GetDirectoryName(GuestFile("hello.wasm"))!, ".storage", "cache"));
        var options = new RuntimeOptions
        {
            PluginsPath = plugins,
            StoragePath = storage,
            NoReload = true,
            MaxRequestBytes = maxRequestBytes,
            Database = Path.Combine(root, "wafer.db"),
            Agent = new AgentOptions { Join = "mqtt://127.0.0.1:" + LoopbackPorts.Free(), Name = name, H2cPort = 0, KeepaliveInterval = TimeSpan.FromMinutes(1) },
        };
        var app = RuntimeApp.Build(options, "http://127.0.0.1:0", minimumLevel: LogLevel.None);
        await app.StartAsync();
        var agent = app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<RuntimeAgent>().Single();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (agent.Url is null || agent.H2cUrl is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the runtime did not learn its addresses within 30 s");
            await Task.Delay(20);
        }

        return new RealRuntime(app, root, agent);
    }

    /// <summary>
    /// Routes for test guest <paramref name="guest"/> as a deployment of the same name on <paramref name="replicas"/>
    /// (named <c>rt-0</c>, <c>rt-1</c>, … in <c>X-Wafer-Runtime</c>), with its real metadata and the handler routes given.
    /// </summary>
    public static DeploymentRoutes Deployment(string guest, IReadOnlyList<HandlerRouteSpec> routes, params RealRuntime[] replicas)
    {
        var json = ModuleMetadata.FindJson(File.ReadAllBytes(GuestFile(guest + ".wasm")));
        JsonElement? metadata = json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
        return new DeploymentRoutes(guest, guest + "-hash", metadata, routes,
            [.. replicas.Select((r, i) => new ReplicaAddress($"rt-{i}-id", $"rt-{i}", r.Url, r.CallUrl))]);
    }

    private static string GuestFile(string file)
    {
        var folder = Environment.GetEnvironmentVariable("WAFER_TEST_GUESTS") is { Length: > 0 } configured
            ? configured
            : throw new InvalidOperationException("WAFER_TEST_GUESTS is not set: export it to the folder of the built test guests (tests/guests/out)");
        var path = Path.Combine(folder, file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: build the test guests (node tests/guests/build-as.mjs {folder})");
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
