using System.Data.Common;
using System.Globalization;

namespace Wafer.ControlPlane.Store;

/// <summary>
/// The orchestrator's schema, as numbered steps applied once each, in order, inside a transaction. Its own
/// migrations table and advisory lock, so it can share a PostgreSQL database with runtimes. Never edit a released
/// step: add the next one.
/// </summary>
internal static class ControlMigrations
{
    private const long AdvisoryLock = 7306252;

    private static readonly (int Version, string Sqlite, string Postgres)[] Steps =
    [
        (1,
            """
            CREATE TABLE cp_deployments (
              name TEXT PRIMARY KEY, hash TEXT NOT NULL, manifest TEXT NOT NULL, replicas INTEGER NOT NULL,
              labels TEXT NOT NULL, config TEXT NOT NULL, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);
            CREATE TABLE cp_runtimes (
              id TEXT PRIMARY KEY, name TEXT NOT NULL, labels TEXT NOT NULL, capacity TEXT NOT NULL, kinds TEXT NOT NULL,
              version TEXT NOT NULL, url TEXT NOT NULL, keepalive_sec INTEGER NOT NULL, state TEXT NOT NULL,
              drain_requested INTEGER NOT NULL, shutdown_sent INTEGER NOT NULL, drain_started_ms INTEGER,
              first_seen_ms INTEGER NOT NULL, last_seen_ms INTEGER NOT NULL);
            CREATE TABLE cp_modules (
              id TEXT PRIMARY KEY, deployment TEXT NOT NULL, hash TEXT NOT NULL, runtime_id TEXT NOT NULL, status TEXT NOT NULL,
              reason TEXT, request_id TEXT NOT NULL, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);
            CREATE INDEX cp_modules_deployment ON cp_modules (deployment);
            CREATE TABLE cp_artifacts (
              hash TEXT PRIMARY KEY, size INTEGER NOT NULL, manifest TEXT, created_ms INTEGER NOT NULL);
            """,
            """
            CREATE TABLE cp_deployments (
              name TEXT PRIMARY KEY, hash TEXT NOT NULL, manifest TEXT NOT NULL, replicas INTEGER NOT NULL,
              labels TEXT NOT NULL, config TEXT NOT NULL, created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL);
            CREATE TABLE cp_runtimes (
              id TEXT PRIMARY KEY, name TEXT NOT NULL, labels TEXT NOT NULL, capacity TEXT NOT NULL, kinds TEXT NOT NULL,
              version TEXT NOT NULL, url TEXT NOT NULL, keepalive_sec INTEGER NOT NULL, state TEXT NOT NULL,
              drain_requested INTEGER NOT NULL, shutdown_sent INTEGER NOT NULL, drain_started_ms BIGINT,
              first_seen_ms BIGINT NOT NULL, last_seen_ms BIGINT NOT NULL);
            CREATE TABLE cp_modules (
              id TEXT PRIMARY KEY, deployment TEXT NOT NULL, hash TEXT NOT NULL, runtime_id TEXT NOT NULL, status TEXT NOT NULL,
              reason TEXT, request_id TEXT NOT NULL, created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL);
            CREATE INDEX cp_modules_deployment ON cp_modules (deployment);
            CREATE TABLE cp_artifacts (
              hash TEXT PRIMARY KEY, size BIGINT NOT NULL, manifest TEXT, created_ms BIGINT NOT NULL);
            """),
    ];

    public static int Latest => Steps[^1].Version;

    public static async Task ApplyAsync(DbConnection connection, StoreDialect dialect, CancellationToken cancellationToken)
    {
        if (dialect == StoreDialect.Postgres)
        {
            // Several orchestrators may start against one PostgreSQL database: migrate under an advisory lock,
            // taken first because even CREATE TABLE IF NOT EXISTS races between sessions.
            await Execute(connection, null, $"SELECT pg_advisory_lock({AdvisoryLock})", cancellationToken);
        }

        try
        {
            await Execute(connection, null, "CREATE TABLE IF NOT EXISTS cp_schema_migrations (version INTEGER PRIMARY KEY, applied_ms BIGINT NOT NULL)", cancellationToken);
            using var query = connection.CreateCommand();
            query.CommandText = "SELECT COALESCE(MAX(version), 0) FROM cp_schema_migrations";
            var current = Convert.ToInt32(await query.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            foreach (var step in Steps.Where(s => s.Version > current))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await Execute(connection, transaction, dialect == StoreDialect.Sqlite ? step.Sqlite : step.Postgres, cancellationToken);
                await Execute(connection, transaction,
                    $"INSERT INTO cp_schema_migrations (version, applied_ms) VALUES ({step.Version}, {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()})",
                    cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            if (dialect == StoreDialect.Postgres)
            {
                await Execute(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLock})", cancellationToken);
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
