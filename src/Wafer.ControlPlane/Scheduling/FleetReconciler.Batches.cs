using Wafer.ControlPlane.Store;
using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.Scheduling;

// What one batch of events leaves to do at its end: a scheduling pass over what the events touched, the store
// writes in one transaction, then the commands. Runtimes never hear of a change the store has not kept.
internal sealed partial class FleetReconciler
{
    /// <summary>Deployments whose events since the last pass ask for one: rules 2 to 4 run for them alone.</summary>
    private readonly HashSet<string> _touched = new(StringComparer.Ordinal);

    /// <summary>The batch's store writes, the last of each record (<see cref="IFleetStore.SaveChangesAsync"/>).</summary>
    private readonly FleetChanges _changes = new();

    /// <summary>The batch's commands and notifications, in order, sent once <see cref="_changes"/> are stored.</summary>
    private readonly List<OutgoingCommand> _outbox = [];

    /// <summary>Something every deployment depends on changed (a runtime came, went or changed; the broker came back).</summary>
    private bool _fullPass;

    private DateTimeOffset _lastFullPass = DateTimeOffset.MinValue;

    /// <summary>How many passes ran and how many deployments they reconciled (<c>GET /api/stats</c>).</summary>
    public SchedulingCounts Counts { get; } = new();

    private bool PassDue => _fullPass || _touched.Count > 0;

    private void Touch(string deployment) => _touched.Add(deployment);

    private void TouchAll() => _fullPass = true;

    /// <summary>
    /// The deployments the next pass reconciles, null for all: what events touched, and the deployments with unplaced
    /// replicas (a slot freed by any module's end may now take them).
    /// </summary>
    private HashSet<string>? TakePassScope()
    {
        HashSet<string>? only = null;
        if (_fullPass || settings.FullPassInterval <= TimeSpan.Zero)
        {
            _lastFullPass = Now;
        }
        else
        {
            only = new HashSet<string>(_touched, StringComparer.Ordinal);
            only.UnionWith(_fleet.Unplaced.Keys);
        }

        _fullPass = false;
        _touched.Clear();
        return only;
    }

    /// <summary>Stores the batch's changes in one transaction, then sends its commands. A failed write sends nothing.</summary>
    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!_changes.IsEmpty)
        {
            await store.SaveChangesAsync(_changes, cancellationToken);
            _changes.Clear();
        }

        var outbox = _outbox.ToList();
        _outbox.Clear();
        // Each runtime's commands keep their order (a create before its delete; program notifications among themselves),
        // while runtimes are sent to side by side: a batch placing on many runtimes waits for the broker's
        // acknowledgements about once, not once per command.
        await Task.WhenAll(outbox.GroupBy(o => o.RuntimeId ?? "", StringComparer.Ordinal).Select(lane => SendInOrderAsync([.. lane], cancellationToken)));
    }

    private async Task SendInOrderAsync(List<OutgoingCommand> lane, CancellationToken cancellationToken)
    {
        foreach (var outgoing in lane)
        {
            if (outgoing.Exited is { } exited)
            {
                await commands.NotifyExitedAsync(exited, cancellationToken);
            }
            else if (!await commands.SendAsync(outgoing.RuntimeId!, outgoing.Command!, cancellationToken))
            {
                LogCommandNotSent(outgoing.Command!.Type, outgoing.RuntimeId!);
            }
        }
    }

    /// <summary>A command for runtime <paramref name="RuntimeId"/>, or (<paramref name="Exited"/>) a program's end told to its clients.</summary>
    private sealed record OutgoingCommand(string? RuntimeId, Envelope? Command, ModuleExitedBody? Exited);
}
