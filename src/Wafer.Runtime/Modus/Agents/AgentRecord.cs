namespace Wafer.Runtime.Modus.Agents;

/// <summary>What is kept of an agent across restarts: who it is, whose it is, its status and its state as the guest saved it.</summary>
internal sealed record AgentRecord(string Id, string Name, string Plugin, string Status, string? State, DateTimeOffset Updated)
{
    public const string Running = "running";
    public const string Terminated = "terminated";
}
