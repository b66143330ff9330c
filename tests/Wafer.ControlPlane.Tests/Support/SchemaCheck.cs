using Microsoft.OpenApi;

namespace Wafer.ControlPlane.Tests.Support;

/// <summary>
/// Checks a JSON body against an OpenAPI 3.1 schema as far as the orchestrator's document uses it: types (with
/// null), required properties, the properties it declares, array items, additional properties, references.
/// </summary>
public static class SchemaCheck
{
    public static void Check(JsonElement value, IOpenApiSchema schema, string path, List<string> failures, string what)
    {
        if (schema.OneOf is { Count: > 0 } oneOf)
        {
            var any = false;
            foreach (var option in oneOf)
            {
                var trial = new List<string>();
                Check(value, option, path, trial, what);
                any |= trial.Count == 0;
            }

            if (!any)
            {
                failures.Add($"{what}: {path} matches none of its oneOf schemas");
            }

            return;
        }

        if (schema.Type is { } type && !Fits(value, type))
        {
            failures.Add($"{what}: {path} is {value.ValueKind}, the document says {type}");
            return;
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var required in schema.Required ?? new HashSet<string>())
            {
                if (!value.TryGetProperty(required, out _))
                {
                    failures.Add($"{what}: {path}.{required} is required by the document but missing");
                }
            }

            foreach (var property in value.EnumerateObject())
            {
                if (schema.Properties?.TryGetValue(property.Name, out var declared) == true)
                {
                    Check(property.Value, declared, $"{path}.{property.Name}", failures, what);
                }
                else if (schema.AdditionalProperties is { } additional)
                {
                    Check(property.Value, additional, $"{path}.{property.Name}", failures, what);
                }
            }
        }
        else if (value.ValueKind == JsonValueKind.Array && schema.Items is { } items)
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check(item, items, $"{path}[{index++}]", failures, what);
            }
        }
    }

    private static bool Fits(JsonElement value, JsonSchemaType type) => value.ValueKind switch
    {
        JsonValueKind.Null => type.HasFlag(JsonSchemaType.Null),
        JsonValueKind.String => type.HasFlag(JsonSchemaType.String),
        JsonValueKind.True or JsonValueKind.False => type.HasFlag(JsonSchemaType.Boolean),
        JsonValueKind.Number => type.HasFlag(JsonSchemaType.Number) || (type.HasFlag(JsonSchemaType.Integer) && value.TryGetInt64(out _)),
        JsonValueKind.Array => type.HasFlag(JsonSchemaType.Array),
        JsonValueKind.Object => type.HasFlag(JsonSchemaType.Object),
        _ => false,
    };
}
