namespace Wafer.Protocol.Diagnostics;

/// <summary>
/// The event ids of Wafer's log events, a band per project: every <c>[LoggerMessage]</c> takes an unused id in the band
/// of the project it is declared in, so an id names one event and tells where it comes from (filter a log by
/// <c>EventId</c>). <c>tests/Wafer.Architecture.Tests</c> fails on an id outside its band or used twice.
/// </summary>
internal static class EventIdBands
{
    public static EventIdBand Wasm { get; } = new("Wafer.Wasm", 1000, 1999);

    public static EventIdBand Runtime { get; } = new("Wafer.Runtime", 2000, 2999);

    public static EventIdBand Storage { get; } = new("Wafer.Storage", 3000, 3999);

    public static EventIdBand Hosting { get; } = new("Wafer.Hosting", 4000, 4999);

    public static EventIdBand ControlPlane { get; } = new("Wafer.ControlPlane", 5000, 5999);

    public static EventIdBand Gateway { get; } = new("Wafer.Gateway", 6000, 6999);

    public static EventIdBand GraphQL { get; } = new("Wafer.GraphQL", 7000, 7999);

    public static EventIdBand Cli { get; } = new("Wafer.Cli", 8000, 8999);

    public static EventIdBand Triggers { get; } = new("Wafer.Triggers", 9000, 9999);

    public static IReadOnlyList<EventIdBand> All { get; } = [Wasm, Runtime, Storage, Hosting, ControlPlane, Gateway, GraphQL, Cli, Triggers];
}

/// <summary>The ids <paramref name="First"/> to <paramref name="Last"/> (both included), the log events of <paramref name="Project"/>.</summary>
internal sealed record EventIdBand(string Project, int First, int Last)
{
    public bool Contains(int id) => id >= First && id <= Last;
}
