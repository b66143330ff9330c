using System.Text.Json;
using System.Text.Json.Nodes;
using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.SilverLine;

/// <summary>
/// SilverLine's <c>exited</c> notification on <c>{realm}/proc/notif</c> (docs/silverline.md): <c>{"object_id",
/// "action": "exited", "type": "resp", "data": {"type": "module", "uuid", "exit_code", "state", "reason", "stdout",
/// "stderr", "run", "restarting"}}</c>.
/// </summary>
internal static class ExitedNotification
{
    public static byte[] Encode(ModuleExitedBody exited) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["object_id"] = Guid.NewGuid().ToString("D"),
        ["action"] = "exited",
        ["type"] = "resp",
        ["data"] = new JsonObject
        {
            ["type"] = "module",
            ["uuid"] = exited.ModuleId,
            ["exit_code"] = exited.ExitCode,
            ["state"] = exited.State,
            ["reason"] = exited.Reason,
            ["stdout"] = exited.Stdout,
            ["stderr"] = exited.Stderr,
            ["run"] = exited.Run,
            ["restarting"] = exited.Restarting,
        },
    });
}
