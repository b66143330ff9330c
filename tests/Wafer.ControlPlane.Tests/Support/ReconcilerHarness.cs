using Microsoft.Extensions.Logging.Abstractions;

namespace Wafer.ControlPlane.Tests.Support;

/// <summary>
/// A <see cref="FleetReconciler"/> wired to hand-written fakes and a manual clock, driven event by event. After each
/// event it handles, the health checks the reconciler asked for are answered (<see cref="FakeProbes"/>).
/// </summary>
internal sealed class ReconcilerHarness
{
    private sealed class FixedAddress : IOrchestratorAddress
    {
        public string BaseUrl => "http://orchestrator.test";
    }

    public ReconcilerHarness(InMemoryFleetStore? store = null, ManualTimeProvider? time = null, ReconcilerSettings? settings = null)
    {
        Store = store ?? new InMemoryFleetStore();
        Time = time ?? new ManualTimeProvider();
        Reconciler = new FleetReconciler(
            Store, Commands, Refusals, Probes, new FixedAddress(), View, (settings ?? ReconcilerSettings.Default) with { SettleDelay = TimeSpan.Zero }, Time,
            NullLogger<FleetReconciler>.Instance);
    }

    public InMemoryFleetStore Store { get; }

    public ManualTimeProvider Time { get; }

    public FakeCommandSender Commands { get; } = new();

    public FakeRefusals Refusals { get; } = new();

    public FakeProbes Probes { get; } = new();

    public FleetView View { get; } = new();

    public FleetReconciler Reconciler { get; }

    public FleetSnapshot Fleet => Reconciler.Fleet;

    public async Task StartAsync()
    {
        await Reconciler.InitializeAsync();
        await HandleAsync(new BrokerConnected());
    }

    /// <summary>Applies <paramref name="fleetEvent"/>, then answers the health checks it (and their answers) asked for.</summary>
    public Task HandleAsync(IFleetEvent fleetEvent) => HandleAsync([fleetEvent]);

    /// <summary>Applies <paramref name="batch"/> as one batch, then answers the health checks it (and their answers) asked for.</summary>
    public async Task HandleAsync(IReadOnlyList<IFleetEvent> batch)
    {
        await Reconciler.HandleAsync(batch);
        for (var answers = Probes.TakeAnswers(); answers.Count > 0; answers = Probes.TakeAnswers())
        {
            await Reconciler.HandleAsync(answers);
        }
    }

    public Task SendAsync(string runtimeId, string type, IMessageBody body, bool retained = false, string? id = null, bool will = false)
    {
        var channel = MessageTypes.ByChannel.First(c => c.Value.Contains(type)).Key;
        var envelope = new Envelope(Envelope.Version, type, id ?? Guid.NewGuid().ToString("N"), Time.GetUtcNow(), body);
        return HandleAsync(new RuntimeMessage(runtimeId, $"realm/wafer/v1/runtimes/{runtimeId}/{channel}", envelope, retained, will));
    }

    /// <summary>The broker publishes runtime <paramref name="id"/>'s last will (retained offline status).</summary>
    public Task WillAsync(string id) => SendAsync(id, MessageTypes.Status, new StatusBody(id, StatusBody.Offline), will: true);

    public Task AnnounceAsync(string id, int maxModules = 10, IReadOnlyList<ModuleReport>? modules = null, bool retained = false,
        params (string Key, string Value)[] labels) =>
        SendAsync(id, MessageTypes.Announce, Fleets.Announce(id, maxModules, modules, labels), retained);

    public Task StatusAsync(string id, string state, bool retained = false) => SendAsync(id, MessageTypes.Status, new StatusBody(id, state), retained);

    public Task KeepaliveAsync(string id, params ModuleState[] modules) =>
        SendAsync(id, MessageTypes.Keepalive, new KeepaliveBody(id, new Load(0, 0, 0, 10), modules));

    /// <summary>Answers every <c>create_module</c> sent to <paramref name="runtimeId"/> so far with <c>module_running</c>.</summary>
    public async Task RunAllAsync(string runtimeId)
    {
        foreach (var (runtime, command) in Commands.Sent.Where(s => s.RuntimeId == runtimeId).ToList())
        {
            if (command.Body is CreateModuleBody create && Fleet.Modules.TryGetValue(create.ModuleId, out var m) && m.Status == ModuleStatus.Pending)
            {
                await SendAsync(runtime, MessageTypes.ModuleRunning, new ModuleRunningBody(command.Id, create.ModuleId, create.Plugin, create.Hash));
            }
        }
    }

    /// <summary>Answers every <c>delete_module</c> sent to <paramref name="runtimeId"/> so far with <c>module_deleted</c>.</summary>
    public async Task DeleteAllAsync(string runtimeId)
    {
        foreach (var (runtime, command) in Commands.Sent.Where(s => s.RuntimeId == runtimeId).ToList())
        {
            if (command.Body is DeleteModuleBody delete && Fleet.Modules.ContainsKey(delete.ModuleId))
            {
                await SendAsync(runtime, MessageTypes.ModuleDeleted, new ModuleDeletedBody(command.Id, delete.ModuleId));
            }
        }
    }

    public async Task<Deployment> DeployAsync(Deployment deployment)
    {
        var done = new TaskCompletionSource<(Deployment, bool)>();
        await HandleAsync(new ApplyDeployment(deployment, done));
        return (await done.Task).Item1;
    }

    /// <summary>Applies every deployment in one batch, as the reconciler loop does with requests that arrive together.</summary>
    public async Task DeployAllAsync(IEnumerable<Deployment> deployments)
    {
        var requests = deployments.Select(d => new ApplyDeployment(d, new TaskCompletionSource<(Deployment, bool)>())).ToList();
        await HandleAsync(requests);
        await Task.WhenAll(requests.Select(r => r.Done.Task));
    }

    public async Task<bool> RemoveAsync(string name)
    {
        var done = new TaskCompletionSource<bool>();
        await HandleAsync(new RemoveDeployment(name, done));
        return await done.Task;
    }

    public async Task<DrainOutcome> DrainAsync(string id)
    {
        var done = new TaskCompletionSource<DrainOutcome>();
        await HandleAsync(new DrainRuntime(id, done));
        return await done.Task;
    }

    public async Task TickAsync(TimeSpan advance)
    {
        Time.Advance(advance);
        await HandleAsync(new Tick());
    }

    public IReadOnlyList<PlacedModule> ModulesOf(string deployment) => [.. Fleet.ModulesOf(deployment)];
}
