namespace Wafer.ControlPlane.Mqtt;

/// <summary>The kinds of <see cref="BrokerRole"/>.</summary>
internal enum BrokerRoleKind
{
    Unrestricted,
    Orchestrator,
    Runtime,
}
