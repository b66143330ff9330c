using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Hosting.Http;
using Wafer.Protocol.Manifest;
using Wafer.Protocol.Transport;
using Wafer.Runtime.Agent;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Hosting;
using Wafer.Triggers;

namespace Wafer.Runtime.Triggers;

/// <summary>
/// Serves the triggers of the plugins this runtime loaded itself: every plugin on its own, the local ones (plugins
/// folder, uploads) when it joined a fleet, whose orchestrator serves the placed ones. Cron schedules always; MQTT topics
/// on the fleet's broker when joined, else on the <c>--mqtt</c> broker. Each catalog change applies the current
/// plugins' triggers. Calls go to this runtime's own HTTP address, so they take the same path as any other call.
/// </summary>
internal sealed class RuntimeTriggers(PluginCatalog catalog, IOptions<RuntimeOptions> options, IServiceProvider services, TimeProvider time, ILoggerFactory loggers)
    : IHostedService, IAsyncDisposable
{
    private readonly Lock _lock = new();
    private TriggerHost? _host;
    private HttpTriggerTarget? _target;

    /// <summary>The host serving this runtime's triggers, once started.</summary>
    public TriggerHost? Host => _host;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        _target = new HttpTriggerTarget(LocalUrl, o.Triggers.CallTimeout);
        _host = new TriggerHost(_target, Broker(o), "this runtime has no broker for MQTT triggers: start it with --mqtt mqtt://HOST:PORT", time, loggers);
        catalog.Changed += Apply;
        Apply(catalog.Current);
        return Task.CompletedTask;
    }

    private TriggerBroker? Broker(RuntimeOptions o) => ResolveBroker(o, services, "-triggers");

    /// <summary>
    /// The fleet's broker when joined, as this runtime's own broker user (a client id of its own beside the agent's,
    /// its id and <paramref name="suffix"/>); else the <c>--mqtt</c> broker; else none. Triggers and program modules'
    /// channels each connect with one.
    /// </summary>
    internal static TriggerBroker? ResolveBroker(RuntimeOptions o, IServiceProvider services, string suffix)
    {
        if (o.Agent.Enabled && BrokerAddress.TryParse(o.Agent.Join!, out var fleet, out _)
            && services.GetRequiredService<RuntimeAgent>().RuntimeId is { } id)
        {
            var user = o.Agent.MqttUsername ?? fleet.Username;
            var password = user is not null ? o.Agent.MqttPassword ?? fleet.Password : null;
            if (user is null && o.Agent.ControlToken is { Length: > 0 } token)
            {
                user = BrokerUsers.Runtime(id);
                password = BrokerUsers.Password(token, user);
            }

            var trust = o.Agent.MqttCa is { } ca ? BrokerTrust.Load(ca, out _) : null;
            return new TriggerBroker(fleet, user, password, trust, "wafer-runtime-" + id + suffix)
            {
                Ready = services.GetRequiredService<FleetBrokerReady>().Ready,
            };
        }

        return o.Triggers.Mqtt is { } url && BrokerAddress.TryParse(url, out var endpoint, out _)
            ? new TriggerBroker(endpoint, null, null, null, "wafer" + suffix + "-" + Guid.NewGuid().ToString("N")[..12])
            : null;
    }

    /// <summary>The client id a joined runtime's triggers connect with: its agent's, and a suffix.</summary>
    public static string TriggerClientId(string runtimeId) => "wafer-runtime-" + runtimeId + "-triggers";

    public Task StopAsync(CancellationToken cancellationToken)
    {
        catalog.Changed -= Apply;
        return Task.CompletedTask;
    }

    private void Apply(CatalogSnapshot snapshot)
    {
        // Placed plugins' triggers are the orchestrator's, which sends each call to one replica; local ones are this runtime's.
        var joined = options.Value.Agent.Enabled;
        var plugins = snapshot.Plugins
            .Where(p => p.Manifest.Triggers.Count > 0 && !(joined && p.SourcePath.StartsWith(PlacedModules.SourcePrefix, StringComparison.Ordinal)))
            .Select(p => new PluginTriggers(p.Name, p.Hash, p.Manifest.Triggers, p.Type == PluginType.Command ? null : p.Metadata))
            .ToList();
        lock (_lock)
        {
            _host?.Apply(plugins);
        }
    }

    private string LocalUrl() => LocalAddress.Of(services) ?? throw new InvalidOperationException("the runtime listens on no address yet");

    /// <summary>Called twice (the container disposes the hosted service and the singleton it is); only the first stops anything.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _host, null) is { } host)
        {
            await host.DisposeAsync();
        }

        Interlocked.Exchange(ref _target, null)?.Dispose();
    }
}
