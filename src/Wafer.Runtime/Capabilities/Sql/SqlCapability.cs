using System.Text.Json;
using Npgsql;
using Wafer.Protocol.Manifest;
using Wafer.Runtime.Capabilities.Secrets;

namespace Wafer.Runtime.Capabilities.Sql;

/// <summary>
/// <c>sql.query</c> and <c>sql.execute</c> against a declared <c>postgresql</c> connection: the guest's statement
/// as written, parameters bound positionally, each call in its own implicit transaction, bounded by the call's
/// remaining time (the command is cancelled server-side when it runs out).
/// </summary>
internal sealed class SqlCapability(PostgresDataSources dataSources, ConnectionSecrets secrets) : IHostCapability
{
    public const string Query = "sql.query";
    public const string Execute = "sql.execute";

    public IReadOnlyList<string> Operations { get; } = [Query, Execute];

    public byte[] Invoke(string operation, JsonElement request, CapabilityCall call)
    {
        CapabilityRequest.OnlyFields(request, operation, "connection", "statement", "params");
        var name = CapabilityRequest.String(request, "connection", operation);
        var statement = CapabilityRequest.String(request, "statement", operation);
        if (string.IsNullOrWhiteSpace(statement))
        {
            throw new CapabilityException($"{operation}: \"statement\" is empty");
        }

        var connection = Connection(call.Plugin.Manifest, name, operation);
        var source = dataSources.Get(secrets.Fill(connection.ConnString, connection, call, operation), connection, operation);
        using var budget = call.Budget(operation, connection.TimeoutMs);
        try
        {
            using var db = source.OpenConnectionAsync(budget.Token).AsTask().GetAwaiter().GetResult();
            using var command = new NpgsqlCommand(statement, db) { CommandTimeout = budget.Seconds };
            SqlParameters.Bind(command, CapabilityRequest.Optional(request, "params"), operation);
            using var cancel = budget.Token.Register(static c => Cancel((NpgsqlCommand)c!), command);
            return operation == Query ? RunQuery(command, connection, operation) : RunExecute(command);
        }
        catch (Exception ex) when (budget.Expired && ex is OperationCanceledException or NpgsqlException)
        {
            throw new CapabilityException(
                $"{operation}: connection '{name}' timed out after {budget.Limit.TotalMilliseconds:F0} ms, the limit set by {budget.Reason}");
        }
        catch (PostgresException ex)
        {
            throw new CapabilityException($"{operation}: {ex.SqlState}: {ex.MessageText}{(ex.Position > 0 ? $" (at character {ex.Position})" : "")}");
        }
        catch (NpgsqlException ex)
        {
            throw new CapabilityException($"{operation}: connection '{name}' failed: {ex.Message}");
        }
        catch (InvalidCastException ex)
        {
            throw new CapabilityException($"{operation}: a parameter does not fit its column: {ex.Message}");
        }
    }

    private static byte[] RunQuery(NpgsqlCommand command, PostgresConnectionSpec connection, string operation)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            using var reader = command.ExecuteReader();
            writer.WriteStartObject();
            var rows = RowWriter.WriteRows(writer, reader, connection.MaxResponseBytes, operation, connection.Name);
            while (reader.NextResult())
            {
                // Later result sets (a multi-statement batch) are read to completion for their row counts only.
            }

            // PostgreSQL reports no count for a SELECT; its rows are what it "affected".
            writer.WriteNumber("rowsAffected", reader.RecordsAffected >= 0 ? reader.RecordsAffected : rows);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static byte[] RunExecute(NpgsqlCommand command)
    {
        var affected = command.ExecuteNonQuery();
        return JsonSerializer.SerializeToUtf8Bytes(new { rowsAffected = Math.Max(0, affected) });
    }

    private static PostgresConnectionSpec Connection(PluginManifest manifest, string name, string operation)
    {
        if (!manifest.Connections.TryGetValue(name, out var connection))
        {
            throw new CapabilityException($"{operation}: no connection named '{name}' is declared in the manifest");
        }

        return connection as PostgresConnectionSpec
            ?? throw new CapabilityException($"{operation}: connection '{name}' is a {connection.Type} connection, not postgresql");
    }

    private static void Cancel(NpgsqlCommand command)
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
