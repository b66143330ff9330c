using Microsoft.Extensions.Hosting;
using Wafer.Protocol.V1;
using Wafer.Runtime.Agent;
using Wafer.Runtime.Hosting;
using Wafer.Runtime.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Agent;

/// <summary>
/// One runtime joined to an in-process broker, with a fake orchestrator watching the broker and an artifact server
/// holding the modules to place. The runtime has a storage path of its own (its id, placed modules, code cache).
/// </summary>
public sealed class AgentHarness : IAsyncDisposable
{
    public static readonly TimeSpan Keepalive = TimeSpan.FromMilliseconds(200);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "wafer-agent-tests", Guid.NewGuid().ToString("N")[..12]);
    private readonly Action<RuntimeOptions>? _configure;
    private readonly Action<IServiceCollection>? _services;

    private AgentHarness(TestBroker broker, FakeOrchestrator orchestrator, ArtifactServer artifacts, Action<RuntimeOptions>? configure, Action<IServiceCollection>? services)
    {
        Broker = broker;
        Orchestrator = orchestrator;
        Artifacts = artifacts;
        _configure = configure;
        _services = services;
    }

    public TestBroker Broker { get; }

    public FakeOrchestrator Orchestrator { get; }

    public ArtifactServer Artifacts { get; }

    public RuntimeServer Runtime { get; private set; } = null!;

    public string StoragePath => Path.Combine(_root, "storage");

    public RuntimeAgent Agent => Runtime.Services.GetRequiredService<RuntimeAgent>();

    public string RuntimeId => Agent.RuntimeId!;

    public string ClientId => "wafer-runtime-" + RuntimeId;

    public IHostApplicationLifetime Lifetime => Runtime.Services.GetRequiredService<IHostApplicationLifetime>();

    /// <param name="realm">The realm the runtime joins and the orchestrator listens in.</param>
    public static async Task<AgentHarness> StartAsync(Action<RuntimeOptions>? configure = null, Action<IServiceCollection>? services = null, string realm = Topics.DefaultRealm)
    {
        var broker = await TestBroker.StartAsync();
        var harness = new AgentHarness(broker, await FakeOrchestrator.ConnectAsync(broker, new Topics(realm)), await ArtifactServer.StartAsync(), configure, services);
        await harness.StartRuntimeAsync();
        return harness;
    }

    /// <summary>Starts the runtime (again, after <see cref="StopRuntimeAsync"/>) on the same storage path; waits for its first announce.</summary>
    public async Task StartRuntimeAsync()
    {
        Runtime = await RuntimeServer.StartAsync([], o =>
        {
            o.Agent.Join = Broker.Url;
            o.Agent.Name = "edge-1";
            o.Agent.Labels = new Dictionary<string, string> { ["zone"] = "a" };
            o.Agent.KeepaliveInterval = Keepalive;
            o.Agent.Realm = Orchestrator.Topics.Realm;
            _configure?.Invoke(o);
            Orchestrator.SigningToken = o.Agent.ControlToken; // a real orchestrator signs with the token it shares
        }, StoragePath, _services);
        if (!Broker.RefuseConnections)
        {
            await Orchestrator.WaitForAsync(RuntimeId, MessageTypes.Announce);
        }
    }

    public async Task StopRuntimeAsync() => await Runtime.DisposeAsync();

    /// <summary>Places a test guest as <paramref name="moduleId"/>; returns the request id and the artifact's hash.</summary>
    public async Task<(string RequestId, string Hash)> CreateAsync(
        string moduleId, string guest = "echo", string plugin = "echo", string manifest = "{}", string? hash = null,
        Dictionary<string, string>? config = null, byte[]? wasm = null)
    {
        var (artifactHash, url) = Artifacts.Add(wasm ?? File.ReadAllBytes(TestGuests.Wasm(guest)));
        var body = new CreateModuleBody(moduleId, plugin, hash ?? artifactHash, url, JsonDocument.Parse(manifest).RootElement.Clone(), config);
        return (await Orchestrator.SendAsync(RuntimeId, MessageTypes.CreateModule, body), artifactHash);
    }

    /// <summary>Places a module and waits until it runs.</summary>
    public async Task<string> RunAsync(string moduleId, string guest = "echo", string plugin = "echo")
    {
        var (request, hash) = await CreateAsync(moduleId, guest, plugin);
        var answer = await AnswerAsync(request);
        Assert.True(answer.Type == MessageTypes.ModuleRunning, $"module {moduleId} failed: {(answer.Message!.Body as ModuleFailedBody)?.Reason}");
        Assert.Equal(hash, answer.Body<ModuleRunningBody>().Hash);
        return hash;
    }

    /// <summary>The <c>module_running</c> or <c>module_failed</c> answering <paramref name="requestId"/>.</summary>
    public async Task<FakeOrchestrator.Received> AnswerAsync(string requestId)
    {
        FakeOrchestrator.Received? answer = null;
        await Eventually.TrueAsync(() => (answer = Orchestrator.All.FirstOrDefault(r => r.Message?.Body switch
        {
            ModuleRunningBody b => b.RequestId == requestId,
            ModuleFailedBody b => b.RequestId == requestId,
            _ => false,
        })) is not null, $"the answer to {requestId}", FakeOrchestrator.Deadline);
        return answer!;
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.DisposeAsync();
        await Orchestrator.DisposeAsync();
        await Artifacts.DisposeAsync();
        await Broker.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
