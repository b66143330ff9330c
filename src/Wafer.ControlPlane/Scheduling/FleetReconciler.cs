using Microsoft.Extensions.Logging;
using Wafer.ControlPlane.Fleet;
using Wafer.ControlPlane.Store;
using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.Scheduling;

/// <summary>
/// Owns the fleet state. Applies events one at a time (runtime messages, API requests, ticks), persists every change
/// before acting on it, asks the <see cref="Scheduler"/> what to do, carries the plan out with commands, and
/// publishes the result as a new <see cref="FleetSnapshot"/>. Not thread-safe: <see cref="ReconcilerService"/> is
/// its only caller (tests drive it directly).
/// </summary>
public sealed partial class FleetReconciler(
    IFleetStore store,
    ICommandSender commands,
    IMessageRefusals refusals,
    IRuntimeProbes probes,
    IOrchestratorAddress address,
    FleetView view,
    ReconcilerSettings settings,
    TimeProvider time,
    ILogger<FleetReconciler> logger)
{
    private readonly Dictionary<string, string> _reportedStatus = new(StringComparer.Ordinal);
    private FleetSnapshot _fleet = FleetSnapshot.Empty;
    private bool _connected;
    private DateTimeOffset _settledAt = DateTimeOffset.MaxValue;
    private DateTimeOffset _lastAnnounceRequest = DateTimeOffset.MinValue;
    private bool _dirty;

    /// <summary>Replicas taken out of the routes whose <c>delete_module</c> waits until then (not stored: a restart sends it at once).</summary>
    private readonly Dictionary<string, DateTimeOffset> _deleteDue = new(StringComparer.Ordinal);

    public FleetSnapshot Fleet => _fleet;

    /// <summary>Loads the stored state. Runtimes get a fresh keepalive grace period and unanswered commands fresh timers.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        var stored = await store.LoadAsync(cancellationToken);
        var now = Now;
        _fleet = FleetSnapshot.Empty with
        {
            Version = 1,
            Deployments = FleetSnapshot.Empty.Deployments.SetItems(stored.Deployments.Select(d => KeyValuePair.Create(d.Name, d))),
            Runtimes = FleetSnapshot.Empty.Runtimes.SetItems(stored.Runtimes.Select(r => KeyValuePair.Create(r.Id, r.Alive ? r with { LastSeen = now } : r))),
            Modules = FleetSnapshot.Empty.Modules.SetItems(stored.Modules.Select(m => KeyValuePair.Create(m.Id,
                m.Status is ModuleStatus.Pending or ModuleStatus.Deleting ? m with { UpdatedAt = now } : m))),
        };
        _dirty = true;
        view.Publish(_fleet);
        view.MarkReady();
        LogRecovered(stored.Deployments.Count, stored.Runtimes.Count, stored.Modules.Count);
    }

    public Task HandleAsync(IFleetEvent fleetEvent, CancellationToken cancellationToken = default) => HandleAsync([fleetEvent], cancellationToken);

    /// <summary>Applies a batch of events, then reconciles once if anything asked for it, then publishes.</summary>
    public async Task HandleAsync(IReadOnlyList<IFleetEvent> batch, CancellationToken cancellationToken = default)
    {
        try
        {
            await ApplyBatchAsync(batch, cancellationToken);
        }
        finally
        {
            AnswerRequests();
        }
    }

    private async Task ApplyBatchAsync(IReadOnlyList<IFleetEvent> batch, CancellationToken cancellationToken)
    {
        var before = _fleet;
        foreach (var fleetEvent in batch)
        {
            try
            {
                await ApplyAsync(fleetEvent, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogEventFailed(fleetEvent.GetType().Name, ex);
                Fail(fleetEvent, ex);
            }
        }

        if (_dirty && _connected && Now >= _settledAt)
        {
            _dirty = false;
            try
            {
                await ReconcileAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _dirty = true;
                LogEventFailed("reconcile", ex);
            }
        }

        if (!ReferenceEquals(before, _fleet))
        {
            _fleet = _fleet with { Version = before.Version + 1 };
            view.Publish(_fleet);
        }
    }

    private DateTimeOffset Now => time.GetUtcNow();

    private Task ApplyAsync(IFleetEvent fleetEvent, CancellationToken cancellationToken) => fleetEvent switch
    {
        RuntimeMessage message => OnRuntimeMessageAsync(message, cancellationToken),
        Tick => OnTickAsync(cancellationToken),
        BrokerConnected => OnConnectedAsync(cancellationToken),
        BrokerDisconnected => OnDisconnected(),
        RuntimeProbed probed => OnProbedAsync(probed, cancellationToken),
        ApplyDeployment apply => OnApplyDeploymentAsync(apply, cancellationToken),
        RemoveDeployment remove => OnRemoveDeploymentAsync(remove, cancellationToken),
        DrainRuntime drain => OnDrainAsync(drain, cancellationToken),
        _ => throw new ArgumentException($"unknown fleet event {fleetEvent.GetType().Name}", nameof(fleetEvent)),
    };

    private static void Fail(IFleetEvent fleetEvent, Exception ex)
    {
        switch (fleetEvent)
        {
            case ApplyDeployment apply:
                apply.Done.TrySetException(ex);
                break;
            case RemoveDeployment remove:
                remove.Done.TrySetException(ex);
                break;
            case DrainRuntime drain:
                drain.Done.TrySetException(ex);
                break;
        }
    }

    private async Task OnConnectedAsync(CancellationToken cancellationToken)
    {
        _connected = true;
        var now = Now;
        _settledAt = now + settings.SettleDelay;
        foreach (var runtime in _fleet.Runtimes.Values.Where(r => r.Alive))
        {
            SetRuntime(runtime with { LastSeen = now });
        }

        foreach (var module in _fleet.Modules.Values.Where(m => m.Status is ModuleStatus.Pending or ModuleStatus.Deleting && !_deleteDue.ContainsKey(m.Id)))
        {
            await SendModuleCommandAsync(module, cancellationToken);
        }

        foreach (var runtime in _fleet.Runtimes.Values.Where(r => r.Alive && r.DrainRequested && !r.ShutdownSent))
        {
            await SendAsync(runtime.Id, MessageTypes.Drain, new DrainBody(), cancellationToken);
        }

        _dirty = true;
    }

    /// <summary>Nothing is heard from any runtime while the broker is gone: each is checked over HTTP instead.</summary>
    private Task OnDisconnected()
    {
        _connected = false;
        foreach (var runtime in _fleet.Runtimes.Values.Where(r => r.Alive).ToList())
        {
            ControlLost(runtime, "the orchestrator lost the broker");
        }

        return Task.CompletedTask;
    }

    private async Task OnTickAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        if (_connected && now >= _settledAt)
        {
            foreach (var runtime in _fleet.Runtimes.Values.Where(r => r.Alive && r.ControlLostAt is null).ToList())
            {
                var allowed = TimeSpan.FromSeconds(runtime.KeepaliveSec * (double)settings.KeepaliveGraceMissed) + TimeSpan.FromMilliseconds(500);
                if (now - runtime.LastSeen > allowed)
                {
                    ControlLost(runtime, $"missed {settings.KeepaliveGraceMissed} keepalives (silent for {(now - runtime.LastSeen).TotalSeconds:0.0}s)");
                }
            }
        }

        ProbeDue(now);

        await SendDueDeletesAsync(now, cancellationToken);
        foreach (var module in _fleet.Modules.Values.Where(m => now - m.UpdatedAt > settings.CommandTimeout).ToList())
        {
            if (module.Status == ModuleStatus.Pending)
            {
                var reason = $"no answer to create_module within {settings.CommandTimeout.TotalSeconds:0}s";
                LogModuleFailed(module.Id, module.Deployment, module.RuntimeId, reason);
                await SaveModuleAsync(module with { Status = ModuleStatus.Failed, Reason = reason, UpdatedAt = now }, cancellationToken);
                await SendAsync(module.RuntimeId, MessageTypes.DeleteModule, new DeleteModuleBody(module.Id), cancellationToken);
                _dirty = true;
            }
            else if (module.Status == ModuleStatus.Deleting)
            {
                await ForgetAsync(module, $"no answer to delete_module within {settings.CommandTimeout.TotalSeconds:0}s", cancellationToken);
                _dirty = true;
            }
        }

        if (!_fleet.Unplaced.IsEmpty)
        {
            _dirty = true;
        }
    }
}
