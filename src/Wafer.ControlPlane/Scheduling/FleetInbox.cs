using System.Diagnostics;
using System.Threading.Channels;

namespace Wafer.ControlPlane.Scheduling;

/// <summary>
/// The reconciler's inbox: a bounded queue the MQTT side and the API write to and one loop reads. Each event carries
/// the moment it arrived, so the loop can measure how far behind it runs (<see cref="ReconcileStats"/>).
/// </summary>
internal sealed class FleetInbox : IFleetEvents
{
    private readonly Channel<PostedEvent> _channel = Channel.CreateBounded<PostedEvent>(
        new BoundedChannelOptions(100_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public ChannelReader<PostedEvent> Reader => _channel.Reader;

    /// <summary>Events waiting to be applied.</summary>
    public int Depth => _channel.Reader.Count;

    public ValueTask PostAsync(IFleetEvent fleetEvent, CancellationToken cancellationToken = default) =>
        _channel.Writer.WriteAsync(new PostedEvent(fleetEvent, Stopwatch.GetTimestamp()), cancellationToken);
}

/// <summary>An event and the <see cref="Stopwatch"/> timestamp of its arrival in the inbox.</summary>
internal readonly record struct PostedEvent(IFleetEvent Event, long PostedAt);
