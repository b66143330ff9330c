using System.Globalization;
using Wafer.Storage;

namespace Wafer.Runtime.Storage;

/// <summary>
/// Deletes rows past a table's age or count limit, in batches of <see cref="BatchSize"/> rows per statement, so a
/// sweep never holds the database long: call log writes and job updates go on between the batches.
/// </summary>
internal sealed class SqlRetention(SqlDatabase database)
{
    public const int BatchSize = 2000;

    /// <summary>Deletes the deletable rows of <paramref name="table"/> older than <paramref name="cutoff"/>; returns how many.</summary>
    public Task<long> DeleteOlderThanAsync(RetainedTable table, DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        DeleteWhereAsync(table, $"{table.TimeColumn} < @time", command => command.With("time", cutoff.ToUnixTimeMilliseconds()), cancellationToken);

    /// <summary>Deletes the deletable rows of <paramref name="table"/> but the newest <paramref name="keep"/>; returns how many.</summary>
    public async Task<long> KeepNewestAsync(RetainedTable table, long keep, CancellationToken cancellationToken)
    {
        // The newest row past the limit, in (time, key) order; it and every row before it go.
        long time;
        object key;
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var command = connection.Command(
                         $"SELECT {table.TimeColumn}, {table.KeyColumn} FROM {table.Name} WHERE {table.Deletable} " +
                         $"ORDER BY {table.TimeColumn} DESC, {table.KeyColumn} DESC LIMIT 1 OFFSET @keep")
                     .With("keep", keep))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return 0;
            }

            time = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
            key = reader.GetValue(1);
        }

        return await DeleteWhereAsync(table, $"({table.TimeColumn} < @time OR ({table.TimeColumn} = @time AND {table.KeyColumn} <= @key))",
            command => command.With("time", time).With("key", key), cancellationToken);
    }

    private async Task<long> DeleteWhereAsync(
        RetainedTable table, string condition, Action<System.Data.Common.DbCommand> parameters, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            int deleted;
            await using (var connection = await database.OpenAsync(cancellationToken))
            await using (var command = connection.Command(
                             $"DELETE FROM {table.Name} WHERE {table.KeyColumn} IN " +
                             $"(SELECT {table.KeyColumn} FROM {table.Name} WHERE {table.Deletable} AND {condition} LIMIT {BatchSize})"))
            {
                parameters(command);
                deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            }

            total += deleted;
            if (deleted < BatchSize)
            {
                return total;
            }

            await Task.Yield();
        }
    }
}
