using System.Data.Common;

namespace Wafer.Runtime.Storage;

/// <summary>
/// The state schema, as numbered steps applied once each, in order, inside a transaction. Never edit a
/// released step: add the next one.
/// </summary>
internal static class Migrations
{
    private static readonly (int Version, string Sqlite, string Postgres)[] Steps =
    [
        (1,
            """
            CREATE TABLE inferences (
              id TEXT PRIMARY KEY, time_ms INTEGER NOT NULL, plugin TEXT NOT NULL, function TEXT NOT NULL, call_id TEXT NOT NULL,
              model TEXT NOT NULL, model_id TEXT NOT NULL, input TEXT NOT NULL, output TEXT, duration_ms REAL NOT NULL,
              prompt_tokens INTEGER, completion_tokens INTEGER, status TEXT NOT NULL, error TEXT);
            CREATE INDEX inferences_time ON inferences (time_ms);
            CREATE TABLE call_logs (
              id INTEGER PRIMARY KEY AUTOINCREMENT, time_ms INTEGER NOT NULL, call_id TEXT NOT NULL, plugin TEXT NOT NULL,
              function TEXT NOT NULL, level TEXT NOT NULL, message TEXT NOT NULL);
            CREATE INDEX call_logs_time ON call_logs (time_ms);
            CREATE TABLE jobs (
              id TEXT PRIMARY KEY, plugin TEXT NOT NULL, state TEXT NOT NULL, args TEXT NOT NULL, env TEXT NOT NULL,
              exit_code INTEGER, stdout TEXT NOT NULL, stderr TEXT NOT NULL, stdout_truncated INTEGER NOT NULL,
              stderr_truncated INTEGER NOT NULL, error TEXT, started_ms INTEGER NOT NULL, duration_ms REAL);
            CREATE INDEX jobs_started ON jobs (started_ms);
            """,
            """
            CREATE TABLE inferences (
              id TEXT PRIMARY KEY, time_ms BIGINT NOT NULL, plugin TEXT NOT NULL, function TEXT NOT NULL, call_id TEXT NOT NULL,
              model TEXT NOT NULL, model_id TEXT NOT NULL, input TEXT NOT NULL, output TEXT, duration_ms DOUBLE PRECISION NOT NULL,
              prompt_tokens INTEGER, completion_tokens INTEGER, status TEXT NOT NULL, error TEXT);
            CREATE INDEX inferences_time ON inferences (time_ms);
            CREATE TABLE call_logs (
              id BIGSERIAL PRIMARY KEY, time_ms BIGINT NOT NULL, call_id TEXT NOT NULL, plugin TEXT NOT NULL,
              function TEXT NOT NULL, level TEXT NOT NULL, message TEXT NOT NULL);
            CREATE INDEX call_logs_time ON call_logs (time_ms);
            CREATE TABLE jobs (
              id TEXT PRIMARY KEY, plugin TEXT NOT NULL, state TEXT NOT NULL, args TEXT NOT NULL, env TEXT NOT NULL,
              exit_code INTEGER, stdout TEXT NOT NULL, stderr TEXT NOT NULL, stdout_truncated INTEGER NOT NULL,
              stderr_truncated INTEGER NOT NULL, error TEXT, started_ms BIGINT NOT NULL, duration_ms DOUBLE PRECISION);
            CREATE INDEX jobs_started ON jobs (started_ms);
            """),
    ];

    public static int Latest => Steps[^1].Version;

    public static async Task ApplyAsync(DbConnection connection, SqlDialect dialect, CancellationToken cancellationToken)
    {
        if (dialect == SqlDialect.Postgres)
        {
            // Several processes may share one PostgreSQL database: migrate under an advisory lock, taken before
            // anything else because even CREATE TABLE IF NOT EXISTS races between sessions.
            await Execute(connection, null, "SELECT pg_advisory_lock(7306251)", cancellationToken);
        }

        try
        {
            await Execute(connection, null, "CREATE TABLE IF NOT EXISTS wafer_schema_migrations (version INTEGER PRIMARY KEY, applied_ms BIGINT NOT NULL)", cancellationToken);
            using var query = connection.CreateCommand();
            query.CommandText = "SELECT COALESCE(MAX(version), 0) FROM wafer_schema_migrations";
            var current = Convert.ToInt32(await query.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            foreach (var step in Steps.Where(s => s.Version > current))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await Execute(connection, transaction, dialect == SqlDialect.Sqlite ? step.Sqlite : step.Postgres, cancellationToken);
                await Execute(connection, transaction,
                    $"INSERT INTO wafer_schema_migrations (version, applied_ms) VALUES ({step.Version}, {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()})",
                    cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            if (dialect == SqlDialect.Postgres)
            {
                await Execute(connection, null, "SELECT pg_advisory_unlock(7306251)", cancellationToken);
            }
        }
    }

    private static async Task Execute(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
