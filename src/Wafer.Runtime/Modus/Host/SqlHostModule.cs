using System.Data.Common;
using System.Text.Json;
using MySqlConnector;
using Npgsql;
using Wafer.Protocol.Manifest;
using Wafer.Protocol.Modus;
using Wafer.Runtime.Capabilities;
using Wafer.Runtime.Capabilities.Secrets;
using Wafer.Runtime.Capabilities.Sql;

namespace Wafer.Runtime.Modus.Host;

/// <summary>
/// <c>modus_sql_client.executeQuery(connection, dbType, statement, paramsJson)</c> against the app's postgresql
/// and mysql connections: parameters bound positionally (<c>$1</c> or <c>?</c>), never spliced in; a
/// <c>paramsJson</c> starting with <c>exec:</c> expects no rows. Each call runs in its own transaction, bounded by the
/// call's remaining time. The answer is the SDK's <c>HostQueryResponse</c>: an error text, or the rows as JSON,
/// the rows affected and (MySQL) the last insert id.
/// </summary>
internal sealed class SqlHostModule(PostgresDataSources postgres, ConnectionSecrets secrets) : IModusHostModule
{
    private const string ExecPrefix = "exec:";

    public IReadOnlyDictionary<string, ModusHostFunction> Functions => new Dictionary<string, ModusHostFunction>
    {
        ["modus_sql_client.executeQuery"] = ExecuteQuery,
    };

    private byte[]? ExecuteQuery(ModusHostCall call, JsonElement[] arguments)
    {
        var name = ModusJson.String(arguments, 0) ?? "";
        var dbType = ModusJson.String(arguments, 1) ?? "";
        var statement = ModusJson.String(arguments, 2) ?? "";
        var parameters = ModusJson.String(arguments, 3) ?? "[]";
        if (call.App.Modus.Connections.GetValueOrDefault(name) is not ModusSqlConnection connection || connection.DbType != dbType)
        {
            return Response(error: $"no {dbType} connection named '{name}' is declared in {ModusManifest.FileName}");
        }

        var exec = parameters.StartsWith(ExecPrefix, StringComparison.Ordinal);
        JsonElement values;
        try
        {
            using var document = JsonDocument.Parse(exec ? parameters[ExecPrefix.Length..] : parameters);
            values = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return Response(error: $"the query parameters are not valid JSON: {ex.Message}");
        }

        if (values.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null))
        {
            return Response(error: "the query parameters must be a JSON array (named parameters are not supported)");
        }

        var spec = new PostgresConnectionSpec { Name = connection.Name, ConnString = connection.ConnString };
        using var budget = call.Capabilities.Budget(call.Function, spec.TimeoutMs);
        try
        {
            var connString = secrets.Fill(connection.ConnString, spec, call.Capabilities, call.Function);
            return dbType == ConnectionSpec.PostgreSql
                ? Postgres(connString, spec, statement, values, exec, budget, call)
                : MySql(connString, statement, values, exec, budget, spec.MaxResponseBytes, call);
        }
        catch (CapabilityException ex)
        {
            return Response(error: ex.Message);
        }
        catch (Exception ex) when (budget.Expired && ex is OperationCanceledException or DbException)
        {
            return Response(error: $"connection '{name}' timed out after {budget.Limit.TotalMilliseconds:F0} ms, the limit set by {budget.Reason}");
        }
        catch (PostgresException ex)
        {
            return Response(error: $"{ex.SqlState}: {ex.MessageText}");
        }
        catch (DbException ex)
        {
            return Response(error: SecretScrubber.Scrub(ex.Message, call.Capabilities.Secrets));
        }
        catch (InvalidCastException ex)
        {
            return Response(error: $"a parameter does not fit its column: {ex.Message}");
        }
    }

    private byte[] Postgres(string connString, PostgresConnectionSpec spec, string statement, JsonElement values, bool exec, OperationBudget budget, ModusHostCall call)
    {
        var source = postgres.Get(connString, spec, call.Function);
        using var db = source.OpenConnectionAsync(budget.Token).AsTask().GetAwaiter().GetResult();
        using var transaction = db.BeginTransaction();
        using var command = new NpgsqlCommand(statement, db, transaction) { CommandTimeout = budget.Seconds };
        SqlParameters.Bind(command, values.ValueKind == JsonValueKind.Array ? values : null, call.Function);
        using var cancel = budget.Token.Register(static c => Cancel((DbCommand)c!), command);
        var result = Run(command, exec, spec.MaxResponseBytes, call.Function);
        transaction.Commit();
        return Response(resultJson: result.Json, rowsAffected: result.Affected);
    }

    private static byte[] MySql(string connString, string statement, JsonElement values, bool exec, OperationBudget budget, int limit, ModusHostCall call)
    {
        var builder = MySqlUrl.Parse(connString);
        builder.ConnectionTimeout = (uint)Math.Clamp(budget.Seconds, 1, 15);
        using var db = new MySqlConnection(builder.ConnectionString);
        db.OpenAsync(budget.Token).GetAwaiter().GetResult();
        using var transaction = db.BeginTransaction();
        using var command = new MySqlCommand(statement, db, transaction) { CommandTimeout = budget.Seconds };
        if (values.ValueKind == JsonValueKind.Array)
        {
            foreach (var value in values.EnumerateArray())
            {
                command.Parameters.Add(new MySqlParameter { Value = MySqlValue(value) });
            }
        }

        using var cancel = budget.Token.Register(static c => Cancel((DbCommand)c!), command);
        var result = Run(command, exec, limit, call.Function);
        transaction.Commit();
        return Response(resultJson: result.Json, rowsAffected: result.Affected, lastInsertId: (ulong)Math.Max(0, command.LastInsertedId));
    }

    private static (string? Json, long Affected) Run(DbCommand command, bool exec, int limit, string operation)
    {
        if (exec)
        {
            return (null, Math.Max(0, command.ExecuteNonQuery()));
        }

        using var reader = command.ExecuteReader();
        var json = SqlRows.Write(reader, limit, operation);
        var count = 0;
        using (var document = JsonDocument.Parse(json))
        {
            count = document.RootElement.GetArrayLength();
        }

        while (reader.NextResult())
        {
        }

        return (json, reader.RecordsAffected >= 0 ? reader.RecordsAffected : count);
    }

    private static object MySqlValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => DBNull.Value,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number when value.TryGetInt64(out var n) => n,
        JsonValueKind.Number => value.GetDouble(),
        _ => value.GetRawText(),
    };

    private static byte[] Response(string? error = null, string? resultJson = null, long rowsAffected = 0, ulong lastInsertId = 0) =>
        ModusJson.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("error", error);
            writer.WriteString("resultJson", resultJson);
            writer.WriteNumber("rowsAffected", (uint)Math.Clamp(rowsAffected, 0, uint.MaxValue));
            writer.WriteNumber("lastInsertId", lastInsertId);
            writer.WriteEndObject();
        });

    private static void Cancel(DbCommand command)
    {
        try
        {
            command.Cancel();
        }
        catch (Exception)
        {
            // The command finished or the connection broke; either way the blocked call returns.
        }
    }
}
