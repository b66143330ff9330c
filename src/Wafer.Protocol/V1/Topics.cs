namespace Wafer.Protocol.V1;

/// <summary>The MQTT topics of protocol version 1 (docs/protocol.md, "Topics").</summary>
public static class Topics
{
    public const string Prefix = "wafer/v1";
    public const string AllRuntimes = Prefix + "/runtimes/+/#";
    public const string OrchestratorStatus = Prefix + "/orchestrator/status";
    public const string OrchestratorErrors = Prefix + "/orchestrator/errors";

    public static string Announce(string runtimeId) => $"{Prefix}/runtimes/{runtimeId}/announce";

    public static string Status(string runtimeId) => $"{Prefix}/runtimes/{runtimeId}/status";

    public static string Keepalive(string runtimeId) => $"{Prefix}/runtimes/{runtimeId}/keepalive";

    public static string Events(string runtimeId) => $"{Prefix}/runtimes/{runtimeId}/events";

    public static string Commands(string runtimeId) => $"{Prefix}/runtimes/{runtimeId}/commands";

    /// <summary>Splits <c>wafer/v1/runtimes/{id}/{channel}</c>; false for any other topic.</summary>
    public static bool TryParseRuntimeTopic(string topic, out string runtimeId, out string channel)
    {
        runtimeId = channel = "";
        var parts = topic.Split('/');
        if (parts is not ["wafer", "v1", "runtimes", var id, var last] || id.Length == 0)
        {
            return false;
        }

        runtimeId = id;
        channel = last;
        return true;
    }
}
