using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Wafer.Runtime.Capabilities.Sql;

/// <summary>
/// Binds a JSON array of parameters positionally (<c>$1</c>…<c>$n</c>). Values are sent as bound parameters,
/// never spliced into the statement. Strings go untyped so PostgreSQL infers their type from the statement, as
/// it would for a quoted literal (<c>where id = $1</c> works for an integer column with <c>"42"</c>).
/// </summary>
internal static class SqlParameters
{
    /// <summary>PostgreSQL's limit on parameters in one statement.</summary>
    public const int MaxParameters = 65_535;

    public static void Bind(NpgsqlCommand command, JsonElement? parameters, string operation)
    {
        if (parameters is not { } array)
        {
            return;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new CapabilityException($"{operation}: \"params\" must be a JSON array (bound to $1, $2, …)");
        }

        if (array.GetArrayLength() > MaxParameters)
        {
            throw new CapabilityException($"{operation}: at most {MaxParameters} parameters, got {array.GetArrayLength()}");
        }

        foreach (var value in array.EnumerateArray())
        {
            command.Parameters.Add(Parameter(value));
        }
    }

    private static NpgsqlParameter Parameter(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Unknown },
        JsonValueKind.True => new NpgsqlParameter { Value = true },
        JsonValueKind.False => new NpgsqlParameter { Value = false },
        JsonValueKind.String => new NpgsqlParameter { Value = value.GetString()!, NpgsqlDbType = NpgsqlDbType.Unknown },
        JsonValueKind.Number when value.TryGetInt64(out var integer) => new NpgsqlParameter { Value = integer },
        JsonValueKind.Number => new NpgsqlParameter { Value = value.GetDouble() },
        JsonValueKind.Array => ArrayParameter(value),
        _ => new NpgsqlParameter { Value = value.GetRawText(), NpgsqlDbType = NpgsqlDbType.Jsonb },
    };

    /// <summary>Arrays of one scalar kind become PostgreSQL arrays (for <c>= any($1)</c>); anything else is jsonb.</summary>
    private static NpgsqlParameter ArrayParameter(JsonElement value)
    {
        var items = value.EnumerateArray().ToArray();
        if (items.Length > 0 && items.All(i => i.ValueKind == JsonValueKind.String))
        {
            return new NpgsqlParameter { Value = items.Select(i => i.GetString()!).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
        }

        if (items.Length > 0 && items.All(i => i.ValueKind == JsonValueKind.Number && i.TryGetInt64(out _)))
        {
            return new NpgsqlParameter { Value = items.Select(i => i.GetInt64()).ToArray() };
        }

        if (items.Length > 0 && items.All(i => i.ValueKind == JsonValueKind.Number))
        {
            return new NpgsqlParameter { Value = items.Select(i => i.GetDouble()).ToArray() };
        }

        if (items.Length > 0 && items.All(i => i.ValueKind is JsonValueKind.True or JsonValueKind.False))
        {
            return new NpgsqlParameter { Value = items.Select(i => i.GetBoolean()).ToArray() };
        }

        return new NpgsqlParameter { Value = value.GetRawText(), NpgsqlDbType = NpgsqlDbType.Jsonb };
    }
}
