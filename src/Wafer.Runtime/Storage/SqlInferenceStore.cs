using System.Text;
using Wafer.Storage;

namespace Wafer.Runtime.Storage;

/// <summary>The inference history in the state database.</summary>
internal sealed class SqlInferenceStore(SqlDatabase database) : IInferenceStore
{
    private const string Columns = "id, time_ms, plugin, function, call_id, model, model_id, input, output, duration_ms, prompt_tokens, completion_tokens, status, error";

    public async Task AddAsync(InferenceRecord record, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"INSERT INTO inferences ({Columns}) VALUES (@id, @time, @plugin, @function, @call, @model, @modelId, @input, @output, @duration, @prompt, @completion, @status, @error)")
            .With("id", record.Id).With("time", record.Time.ToUnixTimeMilliseconds()).With("plugin", record.Plugin)
            .With("function", record.Function).With("call", record.CallId).With("model", record.Model).With("modelId", record.ModelId)
            .With("input", record.Input).With("output", record.Output).With("duration", record.DurationMs)
            .With("prompt", record.PromptTokens).With("completion", record.CompletionTokens).With("status", record.Status).With("error", record.Error);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<InferenceRecord>> QueryAsync(InferenceQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder($"SELECT {Columns} FROM inferences WHERE 1=1");
        void Filter(string column, string name, object? value)
        {
            if (value is not null)
            {
                sql.Append($" AND {column} = @{name}");
                command.With(name, value);
            }
        }

        Filter("plugin", "plugin", query.Plugin);
        Filter("function", "function", query.Function);
        Filter("model", "model", query.Model);
        Filter("status", "status", query.Status);
        if (query.Since is { } since)
        {
            sql.Append(" AND time_ms > @since");
            command.With("since", since.ToUnixTimeMilliseconds());
        }

        sql.Append(" ORDER BY time_ms DESC, id DESC LIMIT @limit OFFSET @offset");
        command.With("limit", query.Limit).With("offset", query.Offset);
        command.CommandText = sql.ToString();

        var records = new List<InferenceRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new InferenceRecord(
                reader.GetString(0), reader.Time(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.NullableString(8), reader.GetDouble(9),
                reader.NullableInt(10), reader.NullableInt(11), reader.GetString(12), reader.NullableString(13)));
        }

        return records;
    }
}
