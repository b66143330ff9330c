using System.Buffers;
using System.Text;
using System.Text.Json;
using Wafer.Protocol.Metadata;

namespace Wafer.Triggers;

/// <summary>
/// How an MQTT payload becomes a function's arguments (docs/manifest.md, "Triggers"): a function with exactly one
/// parameter, a string, gets the whole payload as that string (UTF-8); any other function gets the payload as a JSON
/// object of named arguments, an empty payload meaning <c>{}</c>. The runtime then checks the arguments as for any call.
/// </summary>
internal static class PayloadArguments
{
    public static byte[]? Map(FunctionMetadata? function, ReadOnlySequence<byte> payload, out string? error)
    {
        error = null;
        if (function is { Parameters: [{ } only] } && only.Type.NonNull.Kind == WasmTypeKind.String)
        {
            string text;
            try
            {
                text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(payload);
            }
            catch (DecoderFallbackException)
            {
                error = $"the payload is not valid UTF-8 text, which '{function.Name}' takes as its string parameter '{only.Name}'";
                return null;
            }

            return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { [only.Name] = text });
        }

        if (payload.IsEmpty)
        {
            return "{}"u8.ToArray();
        }

        var reader = new Utf8JsonReader(payload);
        try
        {
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "the payload must be a JSON object of named arguments" + Expected(function);
                return null;
            }
        }
        catch (JsonException ex)
        {
            error = $"the payload is not valid JSON ({ex.Message}); it must be a JSON object of named arguments" + Expected(function);
            return null;
        }

        return payload.ToArray();
    }

    private static string Expected(FunctionMetadata? function) =>
        function is null ? "" : $" ({(function.Parameters.Count == 0 ? "none" : string.Join(", ", function.Parameters.Select(p => p.Name)))})";
}
