namespace Wafer.ControlPlane.Scheduling;

/// <summary>The reconciler's inbox: the MQTT side and the API post events; one loop applies them in order.</summary>
internal interface IFleetEvents
{
    ValueTask PostAsync(IFleetEvent fleetEvent, CancellationToken cancellationToken = default);
}
