using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Wafer.ControlPlane.Tests.Support;
using static Wafer.ControlPlane.Tests.Support.Fleets;

namespace Wafer.ControlPlane.Tests.Scheduling;

/// <summary>A batch's commands: sent to runtimes side by side once stored, in order for each runtime.</summary>
public sealed class CommandLaneTests
{
    private sealed class FixedAddress : IOrchestratorAddress
    {
        public string BaseUrl => "http://orchestrator.test";
    }

    /// <summary>
    /// Once armed, the first command is acknowledged only when a command for another runtime has been sent too: a
    /// reconciler sending one command at a time never gets there.
    /// </summary>
    private sealed class SideBySideSender : ICommandSender
    {
        private readonly TaskCompletionSource _otherRuntime = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private string? _first;

        public bool Armed { get; set; }

        public ConcurrentQueue<(string RuntimeId, string Type)> Sent { get; } = new();

        public async Task<bool> SendAsync(string runtimeId, Envelope command, CancellationToken cancellationToken = default)
        {
            Sent.Enqueue((runtimeId, command.Type));
            if (!Armed)
            {
                return true;
            }

            if (Interlocked.CompareExchange(ref _first, runtimeId, null) is null)
            {
                await _otherRuntime.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            }
            else if (_first != runtimeId)
            {
                _otherRuntime.TrySetResult();
            }

            return true;
        }

        public Task RequestAnnouncementsAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task NotifyExitedAsync(ModuleExitedBody exited, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }

    [Fact]
    public async Task Batch_PlacingOnTwoRuntimes_SendsToThemSideBySide_AndStoresBeforeSending()
    {
        var time = new ManualTimeProvider();
        var store = new InMemoryFleetStore();
        var sender = new SideBySideSender();
        var reconciler = new FleetReconciler(store, sender, new FakeRefusals(), new FakeProbes(), new FixedAddress(), new FleetView(),
            ReconcilerSettings.Default with { SettleDelay = TimeSpan.Zero }, time, NullLogger<FleetReconciler>.Instance);
        await reconciler.InitializeAsync();
        await reconciler.HandleAsync(new BrokerConnected());
        foreach (var id in new[] { "a", "b" })
        {
            var envelope = new Envelope(Envelope.Version, MessageTypes.Announce, Guid.NewGuid().ToString("N"), time.GetUtcNow(), Announce(id));
            var channel = MessageTypes.ByChannel.First(c => c.Value.Contains(MessageTypes.Announce)).Key;
            await reconciler.HandleAsync(new RuntimeMessage(id, $"realm/wafer/v1/runtimes/{id}/{channel}", envelope));
        }

        sender.Armed = true;
        var applied = new TaskCompletionSource<(Deployment Deployment, bool Created)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = reconciler.HandleAsync(new ApplyDeployment(Deployment("web", replicas: 2), applied));

        await handled.WaitAsync(TimeSpan.FromSeconds(20)); // one runtime at a time: the first command waits 10 s, then fails the batch
        Assert.True(applied.Task.IsCompletedSuccessfully, applied.Task.Exception?.ToString());
        Assert.Equal(["a", "b"], sender.Sent.Where(s => s.Type == MessageTypes.CreateModule).Select(s => s.RuntimeId).Order(StringComparer.Ordinal));
        Assert.Equal(2, (await store.LoadAsync()).Modules.Count(m => m.Deployment == "web"));
    }
}
