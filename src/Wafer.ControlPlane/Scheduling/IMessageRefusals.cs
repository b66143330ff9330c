namespace Wafer.ControlPlane.Scheduling;

/// <summary>Where a refused control message is reported: a log line and an <c>error</c> on <c>wafer/v1/orchestrator/errors</c>.</summary>
internal interface IMessageRefusals
{
    Task RefuseAsync(string topic, string? requestId, string reason, CancellationToken cancellationToken = default);
}
