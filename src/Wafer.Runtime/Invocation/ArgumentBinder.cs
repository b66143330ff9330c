using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Wafer.Protocol.Metadata;

namespace Wafer.Runtime.Invocation;

/// <summary>
/// Turns a caller's JSON object of named arguments into the ABI's positional argument array
/// (docs/abi.md §2), checking every value against the function's metadata first.
/// </summary>
internal static class ArgumentBinder
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>
    /// Binds a request body. An empty body means "no arguments". Returns null on success, else a message for a 400.
    /// </summary>
    public static string? Bind(ReadOnlySpan<byte> body, FunctionMetadata function, PluginMetadata types, IBufferWriter<byte> output)
    {
        if (body.IsEmpty || IsWhitespace(body))
        {
            return BindMissing(function, output);
        }

        if (ScalarArgumentBinder.TryBind(body, function, output, WriterOptions))
        {
            return null;
        }

        JsonDocument document;
        try
        {
            // Trailing content after the value is an error too: the reader sees the whole body as final.
            var reader = new Utf8JsonReader(body);
            document = JsonDocument.ParseValue(ref reader);
            reader.Read();
        }
        catch (JsonException ex)
        {
            return $"request body is not valid JSON: {ex.Message}";
        }

        using (document)
        {
            return Bind(document.RootElement, function, types, output);
        }
    }

    /// <summary>Binds an already parsed JSON object of named arguments.</summary>
    public static string? Bind(JsonElement arguments, FunctionMetadata function, PluginMetadata types, IBufferWriter<byte> output)
    {
        if (arguments.ValueKind == JsonValueKind.Null)
        {
            return BindMissing(function, output);
        }

        if (arguments.ValueKind != JsonValueKind.Object)
        {
            return $"arguments must be a JSON object of named arguments, like {Example(function)}";
        }

        foreach (var property in arguments.EnumerateObject())
        {
            if (!function.Parameters.Any(p => p.Name == property.Name))
            {
                return function.Parameters.Count == 0
                    ? $"unknown argument '{property.Name}': {function.Name} takes no arguments"
                    : $"unknown argument '{property.Name}': {function.Name} takes {Signature(function)}";
            }
        }

        var respell = false; // an integer spelled other than plainly: the guest gets it rewritten
        foreach (var parameter in function.Parameters)
        {
            if (arguments.TryGetProperty(parameter.Name, out var value))
            {
                if (ValueChecker.Check(value, parameter.Type, types, $"argument '{parameter.Name}'", ref respell) is { } error)
                {
                    return error;
                }
            }
            else if (!parameter.Type.IsNullable && parameter.Default is null)
            {
                return $"missing argument '{parameter.Name}' ({parameter.Type}): {function.Name} takes {Signature(function)}";
            }
        }

        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartArray();
        foreach (var parameter in function.Parameters)
        {
            if (!arguments.TryGetProperty(parameter.Name, out var value))
            {
                WriteDefault(writer, parameter);
            }
            else if (respell)
            {
                ValueWriter.Write(writer, value, parameter.Type, types);
            }
            else
            {
                value.WriteTo(writer);
            }
        }

        writer.WriteEndArray();
        return null;
    }

    private static string? BindMissing(FunctionMetadata function, IBufferWriter<byte> output)
    {
        var required = function.Parameters.FirstOrDefault(p => !p.Type.IsNullable && p.Default is null);
        if (required is not null)
        {
            return $"missing argument '{required.Name}' ({required.Type}): {function.Name} takes {Signature(function)}";
        }

        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartArray();
        foreach (var parameter in function.Parameters)
        {
            WriteDefault(writer, parameter);
        }

        writer.WriteEndArray();
        return null;
    }

    /// <summary>An omitted argument: its declared default, else null.</summary>
    private static void WriteDefault(Utf8JsonWriter writer, ParameterMetadata parameter)
    {
        if (parameter.Default is { } fallback)
        {
            fallback.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    public static string Signature(FunctionMetadata function) =>
        "(" + string.Join(", ", function.Parameters.Select(p => $"{p.Name}: {p.Type}")) + ")";

    private static string Example(FunctionMetadata function) =>
        "{" + string.Join(", ", function.Parameters.Select(p => $"\"{p.Name}\": …")) + "}";

    private static bool IsWhitespace(ReadOnlySpan<byte> body)
    {
        foreach (var b in body)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }
}
