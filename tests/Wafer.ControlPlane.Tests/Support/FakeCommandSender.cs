using System.Collections.Concurrent;

namespace Wafer.ControlPlane.Tests.Support;

/// <summary>Records every command instead of publishing it; can pretend the broker is down.</summary>
public sealed class FakeCommandSender : ICommandSender
{
    public List<(string RuntimeId, Envelope Command)> Sent { get; } = [];

    public int AnnouncementRequests { get; private set; }

    public bool Down { get; set; }

    public Task<bool> SendAsync(string runtimeId, Envelope command, CancellationToken cancellationToken = default)
    {
        if (Down)
        {
            return Task.FromResult(false);
        }

        Sent.Add((runtimeId, command));
        return Task.FromResult(true);
    }

    public Task RequestAnnouncementsAsync(CancellationToken cancellationToken = default)
    {
        AnnouncementRequests++;
        return Task.CompletedTask;
    }

    /// <summary>The exited notifications the reconciler published itself.</summary>
    public ConcurrentQueue<ModuleExitedBody> Exited { get; } = new();

    public Task NotifyExitedAsync(ModuleExitedBody exited, CancellationToken cancellationToken = default)
    {
        Exited.Enqueue(exited);
        return Task.CompletedTask;
    }

    public IEnumerable<T> Bodies<T>(string? runtimeId = null) where T : IMessageBody =>
        Sent.Where(s => runtimeId is null || s.RuntimeId == runtimeId).Select(s => s.Command.Body).OfType<T>();

    public void Clear() => Sent.Clear();
}
