using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wafer.ControlPlane.Mqtt;
using Wafer.ControlPlane.Scheduling;
using Wafer.Gateway.Routes;
using Wafer.Hosting.Http;
using Wafer.Protocol.Manifest;
using Wafer.Triggers;

namespace Wafer.ControlPlane.Triggers;

/// <summary>
/// The fleet's triggers, served here and nowhere else: the orchestrator subscribes to every routed deployment's MQTT
/// topics on the fleet's broker and keeps its cron schedules, and sends each call through its own gateway, which gives
/// it to one replica. So a message is handled once and a schedule fires once per occurrence however many replicas run,
/// on any broker (shared subscriptions, which the in-process broker lacks, are not needed), and a replica that dies
/// takes no trigger with it. A deployment's triggers start when it has a routed replica and stop when it has none.
/// </summary>
internal sealed partial class FleetTriggers(
    RouteState routes, FleetView fleet, MqttSettings mqtt, IServiceProvider services, TimeProvider time, ILoggerFactory loggers, ILogger<FleetTriggers> logger)
    : BackgroundService
{
    private readonly DeploymentManifests _manifests = new();
    private TriggerHost? _host;
    private HttpTriggerTarget? _target;

    /// <summary>The host serving the fleet's triggers, once started.</summary>
    public TriggerHost? Host => _host;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _target = new HttpTriggerTarget(() => LocalAddress.Of(services) ?? throw new InvalidOperationException("the orchestrator listens on no address yet"),
            TimeSpan.FromMinutes(5));
        var broker = new TriggerBroker(mqtt.Endpoint, mqtt.EffectiveUsername, mqtt.EffectivePassword, mqtt.Trust,
            "wafer-orchestrator-triggers-" + Guid.NewGuid().ToString("N")[..8]);
        _host = new TriggerHost(_target, broker, "", time, loggers);
        long version = -1;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Routes change when replicas come and go; a manifest changed under the same routes is seen on the next round.
            var snapshot = await routes.WaitForChangeAsync(version, TimeSpan.FromSeconds(5), stoppingToken);
            version = snapshot.Version;
            _host.Apply(Plugins(snapshot));
        }
    }

    /// <summary>Every routed deployment whose manifest declares triggers, named as its replicas name its plugin.</summary>
    private List<PluginTriggers> Plugins(RouteSnapshot snapshot)
    {
        var deployments = fleet.Current.Deployments;
        var plugins = new List<PluginTriggers>();
        foreach (var target in snapshot.Deployments.Values)
        {
            if (!deployments.TryGetValue(target.Name, out var deployment) || deployment.Hash != target.Hash
                || Manifest(deployment.Name, deployment.Manifest) is not { Triggers.Count: > 0 } manifest)
            {
                continue;
            }

            plugins.Add(new PluginTriggers(target.Name, target.Hash, manifest.Triggers, target.Metadata));
        }

        _manifests.Retain(deployments.Count, deployments.ContainsKey);
        return plugins;
    }

    private PluginManifest? Manifest(string name, string text)
    {
        var manifest = _manifests.Get(name, text, out var problem);
        if (problem is not null)
        {
            ManifestUnreadable(logger, name, problem);
        }

        return manifest;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        _target?.Dispose();
    }

    [LoggerMessage(EventId = 5900, EventName = "FleetTriggersManifestUnreadable", Level = LogLevel.Warning,
        Message = "Deployment {Deployment}: its manifest could not be read for triggers ({Reason}); it has none")]
    private static partial void ManifestUnreadable(ILogger logger, string deployment, string reason);
}
