using System.Text;
using Wafer.Storage;

namespace Wafer.Runtime.Storage;

/// <summary>Guest log lines in the state database.</summary>
public sealed class SqlCallLogStore(SqlDatabase database) : ICallLogStore
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
                "INSERT INTO call_logs (time_ms, call_id, plugin, function, level, message) VALUES (@time, @call, @plugin, @function, @level, @message)")
                .With("time", line.Time.ToUnixTimeMilliseconds()).With("call", line.CallId).With("plugin", line.Plugin)
                .With("function", line.Function).With("level", line.Level).With("message", line.Message);
            command.Transaction = transaction;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<CallLogRecord>> QueryAsync(string? function, DateTimeOffset? since, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT id, time_ms, call_id, plugin, function, level, message FROM call_logs WHERE 1=1");
        if (function is not null)
        {
            // "plugin/function" or a plain function name
            if (function.Split('/', 2) is [var plugin, var name])
            {
                sql.Append(" AND plugin = @plugin AND function = @function");
                command.With("plugin", plugin).With("function", name);
            }
            else
            {
                sql.Append(" AND function = @function");
                command.With("function", function);
            }
        }

        if (since is { } after)
        {
            sql.Append(" AND time_ms > @since");
            command.With("since", after.ToUnixTimeMilliseconds());
        }

        // The newest lines, returned oldest first.
        command.CommandText = $"SELECT * FROM ({sql} ORDER BY id DESC LIMIT @limit) recent ORDER BY id";
        command.With("limit", limit);
        var lines = new List<CallLogRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(new CallLogRecord(reader.GetInt64(0), reader.Time(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), reader.GetString(6)));
        }

        return lines;
    }
}
