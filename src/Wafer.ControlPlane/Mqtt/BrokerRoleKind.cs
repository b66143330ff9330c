namespace Wafer.ControlPlane.Mqtt;

/// <summary>The kinds of <see cref="BrokerRole"/>.</summary>
public enum BrokerRoleKind
{
    Unrestricted,
    Orchestrator,
    Runtime,
}
