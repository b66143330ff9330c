using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Wafer.ControlPlane.SilverLine;

/// <summary>
/// SilverLine's control topic (<c>{realm}/proc/control</c>, docs/silverline.md "Messages"): a client's
/// <c>{"object_id", "action": "create"|"delete", "type": "req", "data": {…}}</c> creates or deletes a module by the same
/// rules as REST (<see cref="ProgramModules"/>). Each request is answered on the same topic with
/// <c>{"object_id": &lt;the request's&gt;, "action", "type": "resp", "data": {"result": "ok"|"error", "details"}}</c>, and
/// each refusal is also published, as SilverLine does, on <c>{realm}/proc/log/orchestrator</c> as
/// <c>{"action": "error", "type": "resp", "data": {"desc", "data"}}</c>. Answers (<c>type: resp</c>) and runtimes'
/// <c>exited</c> reports are not requests and are ignored.
/// </summary>
internal sealed partial class ProcControlHandler(ProgramModules modules, ILogger<ProcControlHandler> logger)
{
    /// <param name="publish">Publishes a payload on a topic: (<c>true</c>, answer) for the control topic, (<c>false</c>, error) for the log topic.</param>
    public async Task HandleAsync(ReadOnlyMemory<byte> payload, Func<bool, byte[], Task> publish, CancellationToken cancellationToken)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(payload);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            await RefuseAsync(publish, null, "unknown", ModuleRefusal.Invalid("Invalid JSON", ex.Message));
            return;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            await RefuseAsync(publish, null, "unknown", ModuleRefusal.Invalid("Invalid JSON", $"a request is a JSON object, got {root.ValueKind}"));
            return;
        }

        var objectId = Text(root, "object_id");
        var action = Text(root, "action") ?? "";
        var type = Text(root, "type");
        if (type is "resp" or "arts_resp" or "runtime_resp" || action is "exited" or "error")
        {
            return; // an answer, or a runtime's report: nothing to do
        }

        if (type is not ("req" or "arts_req") || action is not ("create" or "delete"))
        {
            await RefuseAsync(publish, objectId, action, ModuleRefusal.Invalid("invalid action/type",
                $"action '{action}' with type '{type}'; a request has type 'req' and action 'create' or 'delete'"));
            return;
        }

        if (!root.TryGetProperty("data", out var data))
        {
            await RefuseAsync(publish, objectId, action, ModuleRefusal.Invalid("missing field", "data"));
            return;
        }

        if (data.ValueKind == JsonValueKind.Object && Text(data, "type") == "runtime")
        {
            await RefuseAsync(publish, objectId, action, ModuleRefusal.Invalid("invalid action/type",
                "runtimes join over Wafer's own protocol (wafer runtime --join), not on this topic"));
            return;
        }

        if (action == "create")
        {
            await CreateAsync(data, objectId, publish, cancellationToken);
        }
        else
        {
            await DeleteAsync(data, objectId, publish, cancellationToken);
        }
    }

    private async Task CreateAsync(JsonElement data, string? objectId, Func<bool, byte[], Task> publish, CancellationToken cancellationToken)
    {
        ModuleRequest request;
        try
        {
            request = ModuleRequestReader.Read(data);
        }
        catch (ModuleRefusedException ex)
        {
            await RefuseAsync(publish, objectId, "create", ex.Refusal);
            return;
        }

        var (created, refusal) = await modules.CreateAsync(request, cancellationToken);
        if (refusal is not null)
        {
            await RefuseAsync(publish, objectId, "create", refusal);
            return;
        }

        LogCreated(created!.Name, created.Program!.Name);
        await publish(true, Answer(objectId, "create", "ok", JsonSerializer.SerializeToNode(ProgramView.Of(created), Wafer.Protocol.V1.MessageCodec.Json)));
    }

    private async Task DeleteAsync(JsonElement data, string? objectId, Func<bool, byte[], Task> publish, CancellationToken cancellationToken)
    {
        var uuid = data.ValueKind == JsonValueKind.Object ? Text(data, "uuid") : null;
        if (uuid is null)
        {
            await RefuseAsync(publish, objectId, "delete", ModuleRefusal.Invalid("missing field", "data/uuid"));
            return;
        }

        if (await modules.DeleteAsync(uuid, cancellationToken) is { } refusal)
        {
            await RefuseAsync(publish, objectId, "delete", refusal);
            return;
        }

        LogDeleted(uuid);
        await publish(true, Answer(objectId, "delete", "ok", new JsonObject { ["type"] = "module", ["uuid"] = uuid }));
    }

    private async Task RefuseAsync(Func<bool, byte[], Task> publish, string? objectId, string action, ModuleRefusal refusal)
    {
        LogRefused(action, refusal.ToString());
        var details = new JsonObject { ["desc"] = refusal.Desc, ["data"] = refusal.Data };
        await publish(true, Answer(objectId, action, "error", details));
        await publish(false, JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["object_id"] = Guid.NewGuid().ToString("D"),
            ["action"] = "error",
            ["type"] = "resp",
            ["data"] = new JsonObject { ["desc"] = refusal.Desc, ["data"] = refusal.Data, ["request"] = objectId },
        }));
    }

    private static byte[] Answer(string? objectId, string action, string result, JsonNode? details) =>
        JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["object_id"] = objectId,
            ["action"] = action,
            ["type"] = "resp",
            ["data"] = new JsonObject { ["result"] = result, ["details"] = details },
        });

    private static string? Text(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [LoggerMessage(EventId = 5370, EventName = "SilverLineModuleCreated", Level = LogLevel.Information,
        Message = "Module {Uuid} ({Name}) created on the SilverLine control topic")]
    private partial void LogCreated(string uuid, string name);

    [LoggerMessage(EventId = 5371, EventName = "SilverLineModuleDeleted", Level = LogLevel.Information,
        Message = "Module {Uuid} deleted on the SilverLine control topic")]
    private partial void LogDeleted(string uuid);

    [LoggerMessage(EventId = 5372, EventName = "SilverLineRequestRefused", Level = LogLevel.Warning,
        Message = "Refused a SilverLine {Action} request: {Reason}")]
    private partial void LogRefused(string action, string reason);
}
