using System.Text.Json;
using Wafer.Protocol.Metadata;

namespace Wafer.Runtime.Lambda;

/// <summary>
/// Builds one call's named arguments from a lambda request: the field's <c>args</c>, plus <c>parent</c> and
/// <c>authHeader</c> when the function declares parameters of those names. A class-typed <c>parent</c> keeps only
/// the fields the class declares, at every depth (Dgraph sends whatever the query selected); a string-typed one gets
/// the JSON text. A webhook's mutation event goes to a parameter named <c>event</c> the same way.
/// </summary>
internal static class LambdaArguments
{
    public const string ParentParameter = "parent";
    public const string AuthHeaderParameter = "authHeader";
    public const string EventParameter = "event";

    public static JsonDocument Build(LambdaRequest request, JsonElement? parent, FunctionMetadata function, PluginMetadata types)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (request.Args.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in request.Args.EnumerateObject())
                {
                    if (property.Name is not (ParentParameter or AuthHeaderParameter) || !Declares(function, property.Name))
                    {
                        property.WriteTo(writer);
                    }
                }
            }

            if (parent is { } p && Find(function, ParentParameter) is { } parentParameter)
            {
                writer.WritePropertyName(ParentParameter);
                WriteObject(writer, p, parentParameter.Type.NonNull, types);
            }

            if (request.Event is { } e && Find(function, EventParameter) is { } eventParameter)
            {
                writer.WritePropertyName(EventParameter);
                WriteObject(writer, e, eventParameter.Type.NonNull, types);
            }

            if (request.AuthHeader is null && Find(function, AuthHeaderParameter) is { Type: { Kind: WasmTypeKind.String } })
            {
                // Dgraph sends no authHeader when the schema sets none: a plain string parameter gets "", a nullable one null.
                writer.WriteString(AuthHeaderParameter, "");
            }

            if (request.AuthHeader is { } auth && Find(function, AuthHeaderParameter) is { } authParameter)
            {
                writer.WritePropertyName(AuthHeaderParameter);
                if (authParameter.Type.NonNull.Kind == WasmTypeKind.String)
                {
                    writer.WriteStringValue(auth.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null);
                }
                else
                {
                    auth.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return JsonDocument.Parse(buffer.ToArray());
    }

    /// <summary>
    /// A parent or event: JSON text for a string parameter; for a class, the fields it declares, at every depth (a
    /// nested class keeps its declared fields, an array of classes each element's), since Dgraph sends more than a
    /// function may care for (an event's <c>add.input</c>, whatever a query selected); else as sent.
    /// </summary>
    private static void WriteObject(Utf8JsonWriter writer, JsonElement parent, WasmType type, PluginMetadata types)
    {
        if (type.Kind == WasmTypeKind.String)
        {
            writer.WriteStringValue(parent.GetRawText());
            return;
        }

        WriteDeclared(writer, parent, type, types);
    }

    private static void WriteDeclared(Utf8JsonWriter writer, JsonElement value, WasmType type, PluginMetadata types)
    {
        type = type.NonNull;
        if (type.Kind == WasmTypeKind.Array && value.ValueKind == JsonValueKind.Array)
        {
            writer.WriteStartArray();
            foreach (var item in value.EnumerateArray())
            {
                WriteDeclared(writer, item, type.Element!, types);
            }

            writer.WriteEndArray();
            return;
        }

        if (type.Kind != WasmTypeKind.Class || value.ValueKind != JsonValueKind.Object || types.FindType(type.ClassName!) is not { } definition)
        {
            value.WriteTo(writer);
            return;
        }

        writer.WriteStartObject();
        foreach (var property in value.EnumerateObject())
        {
            if (definition.Fields.FirstOrDefault(f => f.Name == property.Name) is { } field)
            {
                writer.WritePropertyName(property.Name);
                WriteDeclared(writer, property.Value, field.Type, types);
            }
        }

        writer.WriteEndObject();
    }

    private static bool Declares(FunctionMetadata function, string name) => Find(function, name) is not null;

    private static ParameterMetadata? Find(FunctionMetadata function, string name) =>
        function.Parameters.FirstOrDefault(p => p.Name == name);
}
