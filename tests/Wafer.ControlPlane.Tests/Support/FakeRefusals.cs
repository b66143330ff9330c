namespace Wafer.ControlPlane.Tests.Support;

/// <summary>Records refused messages.</summary>
public sealed class FakeRefusals : IMessageRefusals
{
    public List<(string Topic, string? RequestId, string Reason)> Refused { get; } = [];

    public Task RefuseAsync(string topic, string? requestId, string reason, CancellationToken cancellationToken = default)
    {
        Refused.Add((topic, requestId, reason));
        return Task.CompletedTask;
    }
}
