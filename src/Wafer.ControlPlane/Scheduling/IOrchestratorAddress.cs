namespace Wafer.ControlPlane.Scheduling;

/// <summary>The orchestrator's base URL as runtimes reach it (artifact URLs in <c>create_module</c>).</summary>
public interface IOrchestratorAddress
{
    string BaseUrl { get; }
}
