using System.Text.Json;
using Wafer.Runtime.Modus.Agents;

namespace Wafer.Runtime.Modus.Host;

/// <summary>
/// <c>modus_agents</c>: start, stop, describe and list an app's agents, send them messages (a timeout of 0 sends
/// without waiting for the answer, as <c>sendMessageAsync</c> does) and record the events they publish.
/// </summary>
internal sealed class AgentsHostModule(ModusAgents agents) : IModusHostModule
{
    public IReadOnlyDictionary<string, ModusHostFunction> Functions => new Dictionary<string, ModusHostFunction>
    {
        ["modus_agents.startAgent"] = (call, a) => Info(Guard(call, () => agents.Start(Plugin(call), ModusJson.String(a, 0) ?? ""))),
        ["modus_agents.stopAgent"] = (call, a) => Info(Guard(call, () => agents.Stop(Plugin(call), ModusJson.String(a, 0) ?? ""))),
        ["modus_agents.getAgentInfo"] = (call, a) => Info(Guard(call, () => agents.Info(Plugin(call), ModusJson.String(a, 0) ?? ""))),
        ["modus_agents.listAgents"] = (call, _) => JsonSerializer.SerializeToUtf8Bytes(agents.List(Plugin(call)).Select(r => new { id = r.Id, name = r.Name, status = r.Status })),
        ["modus_agents.sendMessage"] = SendMessage,
        ["modus_agents.publishEvent"] = (call, a) =>
        {
            Guard(call, () =>
            {
                agents.Publish(Plugin(call), ModusJson.String(a, 0) ?? "", ModusJson.String(a, 1) ?? "", ModusJson.String(a, 2));
                return 0;
            });
            return null;
        },
    };

    private byte[]? SendMessage(ModusHostCall call, JsonElement[] arguments)
    {
        var plugin = Plugin(call);
        var id = ModusJson.String(arguments, 0) ?? "";
        var message = ModusJson.String(arguments, 1) ?? "";
        var data = ModusJson.String(arguments, 2);
        var timeout = arguments.Length > 3 && arguments[3].TryGetInt64(out var nanoseconds) ? nanoseconds : 0;
        if (timeout == 0)
        {
            // Checked now so an unknown agent is an error for the sender; the message itself runs on its own.
            Guard(call, () => agents.Info(plugin, id));
            _ = Task.Run(() =>
            {
                try
                {
                    agents.Send(plugin, id, message, data);
                }
                catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException)
                {
                    call.Log(Wasm.GuestLogLevel.Error, $"{call.Function}: {ex.Message}");
                }
            });
            return Response(null, null);
        }

        try
        {
            return Response(agents.Send(plugin, id, message, data), null);
        }
        catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException)
        {
            return Response(null, ex.Message);
        }
    }

    private static string Plugin(ModusHostCall call) => call.Capabilities.Plugin.Name;

    private static T Guard<T>(ModusHostCall call, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException)
        {
            throw new ModusHostException($"{call.Function}: {ex.Message}");
        }
    }

    private static byte[] Info(AgentRecord record) => JsonSerializer.SerializeToUtf8Bytes(new { id = record.Id, name = record.Name, status = record.Status });

    private static byte[] Response(string? data, string? error) => JsonSerializer.SerializeToUtf8Bytes(new { data, error });
}
