using System.Text.Json;
using Wafer.Protocol.Metadata;

namespace Wafer.Runtime.Lambda;

/// <summary>
/// Builds one call's named arguments from a lambda request: the field's <c>args</c>, plus <c>parent</c> and
/// <c>authHeader</c> when the function declares parameters of those names. A class-typed <c>parent</c> keeps only
/// the fields the class declares (Dgraph sends whatever the query selected); a string-typed one gets the JSON text.
/// A webhook's mutation event goes to a parameter named <c>event</c> the same way.
/// </summary>
public static class LambdaArguments
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

    /// <summary>A parent or event: JSON text for a string parameter, the declared fields for a class, else as sent.</summary>
    private static void WriteObject(Utf8JsonWriter writer, JsonElement parent, WasmType type, PluginMetadata types)
    {
        if (type.Kind == WasmTypeKind.String)
        {
            writer.WriteStringValue(parent.GetRawText());
            return;
        }

        if (type.Kind != WasmTypeKind.Class || parent.ValueKind != JsonValueKind.Object || types.FindType(type.ClassName!) is not { } definition)
        {
            parent.WriteTo(writer);
            return;
        }

        writer.WriteStartObject();
        foreach (var property in parent.EnumerateObject())
        {
            if (definition.Fields.Any(f => f.Name == property.Name))
            {
                property.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    private static bool Declares(FunctionMetadata function, string name) => Find(function, name) is not null;

    private static ParameterMetadata? Find(FunctionMetadata function, string name) =>
        function.Parameters.FirstOrDefault(p => p.Name == name);
}
