using System.Data.Common;
using System.Globalization;

namespace Wafer.Storage;

/// <summary>One numbered schema step, in each dialect. Never edit a released step: add the next one.</summary>
public sealed record MigrationStep(int Version, string Sqlite, string Postgres);

/// <summary>
/// Applies numbered steps once each, in order, each inside a transaction, recording them in the owner's own
/// migrations table. On PostgreSQL it holds the owner's advisory lock throughout, so several processes may start
/// against one database (runtimes and orchestrators share one in a fleet).
/// </summary>
public static class SchemaMigrator
{
    public static async Task ApplyAsync(
        DbConnection connection, SqlDialect dialect, string table, long advisoryLock, IReadOnlyList<MigrationStep> steps, CancellationToken cancellationToken)
    {
        var postgres = dialect == SqlDialect.Postgres;
        if (postgres)
        {
            // Taken before anything else because even CREATE TABLE IF NOT EXISTS races between sessions.
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({advisoryLock})", cancellationToken);
        }

        try
        {
            await ExecuteAsync(connection, null, $"CREATE TABLE IF NOT EXISTS {table} (version INTEGER PRIMARY KEY, applied_ms BIGINT NOT NULL)", cancellationToken);
            using var query = connection.CreateCommand();
            query.CommandText = $"SELECT COALESCE(MAX(version), 0) FROM {table}";
            var current = Convert.ToInt32(await query.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            foreach (var step in steps.Where(s => s.Version > current).OrderBy(s => s.Version))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, postgres ? step.Postgres : step.Sqlite, cancellationToken);
                await ExecuteAsync(connection, transaction,
                    $"INSERT INTO {table} (version, applied_ms) VALUES ({step.Version}, {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()})", cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            if (postgres)
            {
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({advisoryLock})", cancellationToken);
            }
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
