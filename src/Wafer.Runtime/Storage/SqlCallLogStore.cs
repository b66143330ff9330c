using System.Text;
using Wafer.Storage;

namespace Wafer.Runtime.Storage;

/// <summary>Call log lines in the state database.</summary>
internal sealed class SqlCallLogStore(SqlDatabase database) : ICallLogStore
{
    public async Task AddAsync(IReadOnlyList<CallLogRecord> lines, CancellationToken cancellationToken = default)
    {
        if (lines.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var line in lines)
        {
            await using var command = connection.Command(
                "INSERT INTO call_logs (time_ms, call_id, plugin, function, level, message, cause) VALUES (@time, @call, @plugin, @function, @level, @message, @cause)")
                .With("time", line.Time.ToUnixTimeMilliseconds()).With("call", line.CallId).With("plugin", line.Plugin)
                .With("function", line.Function).With("level", line.Level).With("message", line.Message).With("cause", line.Cause);
            command.Transaction = transaction;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<CallLogRecord>> QueryAsync(CallLogQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT id, time_ms, call_id, plugin, function, level, message, cause FROM call_logs WHERE 1=1");
        var plugin = query.Plugin;
        var function = query.Function;
        if (function?.Split('/', 2) is [var owner, var name])
        {
            // "plugin/function": both must match, and agree with the plugin filter if there is one
            if (plugin is not null && plugin != owner)
            {
                return [];
            }

            (plugin, function) = (owner, name);
        }

        if (plugin is not null)
        {
            sql.Append(" AND plugin = @plugin");
            command.With("plugin", plugin);
        }

        if (function is not null)
        {
            sql.Append(" AND function = @function");
            command.With("function", function);
        }

        if (query.Since is { } after)
        {
            sql.Append(" AND time_ms > @since");
            command.With("since", after.ToUnixTimeMilliseconds());
        }

        // The newest lines, returned oldest first.
        command.CommandText = $"SELECT * FROM ({sql} ORDER BY id DESC LIMIT @limit) recent ORDER BY id";
        command.With("limit", query.Limit);
        var lines = new List<CallLogRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(new CallLogRecord(reader.GetInt64(0), reader.Time(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.NullableString(7)));
        }

        return lines;
    }
}
