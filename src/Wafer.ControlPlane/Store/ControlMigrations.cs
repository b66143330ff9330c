using System.Data.Common;
using Wafer.Storage;

namespace Wafer.ControlPlane.Store;

/// <summary>
/// The orchestrator's schema, as numbered steps applied once each, in order, inside a transaction. Its own
/// migrations table and advisory lock, so it can share a PostgreSQL database with runtimes. Never edit a released
/// step: add the next one.
/// </summary>
internal static class ControlMigrations
{
    private const long AdvisoryLock = 7306252;

    private static readonly MigrationStep[] Steps =
    [
        new(1,
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
        new(2, "ALTER TABLE cp_runtimes ADD COLUMN h2c_url TEXT;", "ALTER TABLE cp_runtimes ADD COLUMN h2c_url TEXT;"),
        new(3, "ALTER TABLE cp_deployments ADD COLUMN program TEXT;", "ALTER TABLE cp_deployments ADD COLUMN program TEXT;"),
    ];

    public static int Latest => Steps[^1].Version;

    public static Task ApplyAsync(DbConnection connection, SqlDialect dialect, CancellationToken cancellationToken) =>
        SchemaMigrator.ApplyAsync(connection, dialect, "cp_schema_migrations", AdvisoryLock, Steps, cancellationToken);
}
