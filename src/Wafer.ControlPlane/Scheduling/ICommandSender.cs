using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.Scheduling;

/// <summary>The reconciler's way out to runtimes (the MQTT side implements it; tests use a fake).</summary>
internal interface ICommandSender
{
    /// <summary>Publishes <paramref name="command"/> on the runtime's commands topic; false when it could not be sent now.</summary>
    Task<bool> SendAsync(string runtimeId, Envelope command, CancellationToken cancellationToken = default);

    /// <summary>Asks every runtime to announce itself again (republishes the orchestrator's online status).</summary>
    Task RequestAnnouncementsAsync(CancellationToken cancellationToken = default);

    /// <summary>Tells everyone a program module ended, as a runtime's own report is told: SilverLine's <c>exited</c> on <c>{realm}/proc/notif</c>.</summary>
    Task NotifyExitedAsync(ModuleExitedBody exited, CancellationToken cancellationToken = default);
}
