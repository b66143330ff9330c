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
internal sealed partial class FleetReconciler(
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
        TouchAll();
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

        if (PassDue && _connected && Now >= _settledAt)
        {
            var only = TakePassScope();
            try
            {
                Reconcile(only);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                TouchAll();
                LogEventFailed("reconcile", ex);
            }
        }

        try
        {
            await FlushAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Nothing of the batch was stored or sent: the fleet stays as it was, the batch's requests fail, and the
            // next pass looks at everything again (runtimes repeat their states in keepalives).
            LogEventFailed("store", ex);
            _changes.Clear();
            _outbox.Clear();
            _fleet = before;
            foreach (var fleetEvent in batch)
            {
                Fail(fleetEvent, ex);
            }

            TouchAll();
            return;
        }

        if (!ReferenceEquals(before, _fleet))
        {
            _fleet = _fleet with { Version = before.Version + 1 };
            view.Publish(_fleet);
        }
    }

    private DateTimeOffset Now => time.GetUtcNow();

    private Task ApplyAsync(IFleetEvent fleetEvent, CancellationToken cancellationToken)
    {
        switch (fleetEvent)
        {
            case RuntimeMessage message:
                return OnRuntimeMessageAsync(message, cancellationToken);
            case Tick:
                OnTick();
                break;
            case BrokerConnected:
                OnConnected();
                break;
            case BrokerDisconnected:
                OnDisconnected();
                break;
            case RuntimeProbed probed:
                OnProbed(probed);
                break;
            case ApplyDeployment apply:
                OnApplyDeployment(apply);
                break;
            case RemoveDeployment remove:
                OnRemoveDeployment(remove);
                break;
            case DrainRuntime drain:
                OnDrain(drain);
                break;
            default:
                throw new ArgumentException($"unknown fleet event {fleetEvent.GetType().Name}", nameof(fleetEvent));
        }

        return Task.CompletedTask;
    }

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

    private void OnConnected()
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
            SendModuleCommand(module);
        }

        foreach (var runtime in _fleet.Runtimes.Values.Where(r => r.Alive && r.DrainRequested && !r.ShutdownSent))
        {
            Send(runtime.Id, MessageTypes.Drain, new DrainBody());
        }

        TouchAll();
    }

    /// <summary>Nothing is heard from any runtime while the broker is gone: each is checked over HTTP instead.</summary>
    private void OnDisconnected()
    {
        _connected = false;
        foreach (var runtime in _fleet.Runtimes.Values.Where(r => r.Alive).ToList())
        {
            ControlLost(runtime, "the orchestrator lost the broker");
        }
    }

    private void OnTick()
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

        SendDueDeletes(now);
        foreach (var module in _fleet.Modules.Values.Where(m => now - m.UpdatedAt > settings.CommandTimeout).ToList())
        {
            if (module.Status == ModuleStatus.Pending)
            {
                var reason = $"no answer to create_module within {settings.CommandTimeout.TotalSeconds:0}s";
                LogModuleFailed(module.Id, module.Deployment, module.RuntimeId, reason);
                SaveModule(module with { Status = ModuleStatus.Failed, Reason = reason, UpdatedAt = now });
                Send(module.RuntimeId, MessageTypes.DeleteModule, new DeleteModuleBody(module.Id));
                Touch(module.Deployment);
            }
            else if (module.Status == ModuleStatus.Deleting)
            {
                Forget(module, $"no answer to delete_module within {settings.CommandTimeout.TotalSeconds:0}s");
                Touch(module.Deployment);
            }
        }

        // Unplaced replicas are retried on every tick (a backoff may have ended); every deployment now and then.
        foreach (var deployment in _fleet.Unplaced.Keys)
        {
            Touch(deployment);
        }

        if (now - _lastFullPass >= settings.FullPassInterval)
        {
            TouchAll();
        }
    }
}
