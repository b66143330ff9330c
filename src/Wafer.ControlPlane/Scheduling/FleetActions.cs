namespace Wafer.ControlPlane.Scheduling;

/// <summary>One step the scheduler asks the reconciler to take.</summary>
internal abstract record FleetAction;

/// <summary>Place a new replica of <paramref name="Deployment"/> on runtime <paramref name="RuntimeId"/> (send <c>create_module</c>).</summary>
internal sealed record PlaceModule(string Deployment, string RuntimeId) : FleetAction;

/// <summary>Delete a module from its runtime (send <c>delete_module</c>) because of <paramref name="Reason"/>.</summary>
internal sealed record RemoveModule(string ModuleId, string Reason) : FleetAction;

/// <summary>Drop a module's record without telling anyone: its runtime is gone, or it is an old failure.</summary>
internal sealed record ForgetModule(string ModuleId, string Reason) : FleetAction;

/// <summary>Tell a drained runtime it may stop (send <c>shutdown</c>).</summary>
internal sealed record GrantShutdown(string RuntimeId) : FleetAction;

/// <summary>
/// A program module's program has ended for good without running to its end (<paramref name="State"/> <c>lost</c>: its
/// runtime died; <c>exited</c>: a drain stopped it), as its <c>never</c> restart policy says; it is not placed again.
/// </summary>
internal sealed record EndProgram(string Deployment, string State, string Ended, string Reason) : FleetAction;
