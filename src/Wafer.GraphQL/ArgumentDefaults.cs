using System.Text.Json;
using GraphQL;
using GraphQL.Types;

namespace Wafer.GraphQL;

/// <summary>
/// A parameter's declared default as its GraphQL argument's default value (<c>name: String = null</c>, <c>n: Int! = 3</c>),
/// so clients see which arguments they may leave out. A <c>null</c> default, which GraphQL.NET cannot hold (to it no
/// default is null), is marked on the argument and shown by <see cref="WaferSchema"/>'s introspection and SDL.
/// </summary>
internal static class ArgumentDefaults
{
    /// <summary>Metadata key marking an argument whose default is <c>null</c>.</summary>
    public const string NullDefaultKey = "wafer.nullDefault";

    public static QueryArgument Apply(QueryArgument argument, JsonElement? fallback)
    {
        if (fallback is not { } value)
        {
            return argument;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            argument.WithMetadata(NullDefaultKey, true);
        }
        else
        {
            argument.DefaultValue = Value(value);
        }

        return argument;
    }

    public static bool HasNullDefault(object? argument) => argument is QueryArgument a && a.GetMetadata(NullDefaultKey, false);

    /// <summary>The CLR form GraphQL.NET's scalars and lists print and pass to resolvers.</summary>
    private static object? Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when value.TryGetInt32(out var i) => i,
        JsonValueKind.Number when value.TryGetInt64(out var l) => l,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.Array => value.EnumerateArray().Select(Value).ToList(),
        JsonValueKind.Object => value.EnumerateObject().ToDictionary(p => p.Name, p => Value(p.Value)),
        _ => null,
    };
}
