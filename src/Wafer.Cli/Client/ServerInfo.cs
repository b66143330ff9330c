namespace Wafer.Cli.Client;

/// <summary>What <c>GET /api/info</c> says answers at the server URL.</summary>
public sealed record ServerInfo(string Kind, string? Version, string? Name)
{
    public const string Orchestrator = "orchestrator";
    public const string Runtime = "runtime";

    public bool IsOrchestrator => Kind == Orchestrator;

    public bool IsRuntime => Kind == Runtime;
}
