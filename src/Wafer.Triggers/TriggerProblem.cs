using System.Text.Json;
using System.Text.Json.Nodes;
using Wafer.Protocol.Problems;

namespace Wafer.Triggers;

/// <summary>
/// The problem (RFC 7807) a failed trigger call publishes on its error topic: the runtime's own problem when it answered
/// one, else one of the trigger's, with where the call came from (<c>trigger</c>, <c>plugin</c>, <c>function</c>,
/// <c>topic</c>) added.
/// </summary>
internal static class TriggerProblem
{
    public static byte[] Of(TriggerAnswer answer, string plugin, string function, string trigger, string topic)
    {
        JsonObject problem;
        try
        {
            problem = JsonNode.Parse(answer.Body) as JsonObject ?? Create(ProblemTypes.BadGateway, "the call answered no problem");
        }
        catch (JsonException)
        {
            problem = Create(ProblemTypes.BadGateway, $"the call answered {answer.Status} without a problem");
        }

        return Finish(problem, plugin, function, trigger, topic);
    }

    public static byte[] Create(ProblemType type, string detail, string plugin, string function, string trigger, string topic) =>
        Finish(Create(type, detail), plugin, function, trigger, topic);

    private static JsonObject Create(ProblemType type, string detail) => new()
    {
        ["type"] = type.Uri,
        ["title"] = type.Title,
        ["status"] = type.Status,
        ["detail"] = detail,
        ["cause"] = type.Name,
    };

    private static byte[] Finish(JsonObject problem, string plugin, string function, string trigger, string topic)
    {
        problem["plugin"] = plugin;
        problem["function"] ??= function;
        problem["trigger"] = trigger;
        problem["topic"] = topic;
        return JsonSerializer.SerializeToUtf8Bytes(problem);
    }
}
