using System.Text;
using System.Text.Json;

namespace Wafer.Triggers;

/// <summary>
/// What a successful call publishes: a string result as its UTF-8 text (<c>text/plain</c>), as a single string
/// parameter takes the payload; any other result as JSON; a <c>void</c> function's as an empty payload.
/// </summary>
internal static class TriggerReply
{
    public static (byte[] Payload, string ContentType) Of(byte[] answer)
    {
        try
        {
            using var document = JsonDocument.Parse(answer);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("result", out var result))
            {
                return (answer, "application/json");
            }

            return result.ValueKind switch
            {
                JsonValueKind.String => (Encoding.UTF8.GetBytes(result.GetString()!), "text/plain; charset=utf-8"),
                JsonValueKind.Null or JsonValueKind.Undefined => ([], "application/json"),
                _ => (Encoding.UTF8.GetBytes(result.GetRawText()), "application/json"),
            };
        }
        catch (JsonException)
        {
            return (answer, "application/json");
        }
    }
}
