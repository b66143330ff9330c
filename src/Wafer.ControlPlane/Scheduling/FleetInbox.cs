using System.Threading.Channels;

namespace Wafer.ControlPlane.Scheduling;

/// <summary>The reconciler's inbox: a bounded queue the MQTT side and the API write to and one loop reads.</summary>
public sealed class FleetInbox : IFleetEvents
{
    private readonly Channel<IFleetEvent> _channel = Channel.CreateBounded<IFleetEvent>(
        new BoundedChannelOptions(100_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public ChannelReader<IFleetEvent> Reader => _channel.Reader;

    public ValueTask PostAsync(IFleetEvent fleetEvent, CancellationToken cancellationToken = default) =>
        _channel.Writer.WriteAsync(fleetEvent, cancellationToken);
}
