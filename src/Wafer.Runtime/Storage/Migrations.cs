using System.Data.Common;
using Wafer.Storage;

namespace Wafer.Runtime.Storage;

/// <summary>
/// The state schema, as numbered steps applied once each, in order, inside a transaction. Never edit a
/// released step: add the next one.
/// </summary>
internal static class Migrations
{
    private const long AdvisoryLock = 7306251;

    private static readonly MigrationStep[] Steps =
    [
        new(1,
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

        // The line that records a failed call carries its cause; lines are looked up by plugin.
        new(2,
            """
            ALTER TABLE call_logs ADD COLUMN cause TEXT;
            CREATE INDEX call_logs_plugin ON call_logs (plugin, id);
            """,
            """
            ALTER TABLE call_logs ADD COLUMN cause TEXT;
            CREATE INDEX call_logs_plugin ON call_logs (plugin, id);
            """),
    ];

    public static int Latest => Steps[^1].Version;

    public static Task ApplyAsync(DbConnection connection, SqlDialect dialect, CancellationToken cancellationToken) =>
        SchemaMigrator.ApplyAsync(connection, dialect, "wafer_schema_migrations", AdvisoryLock, Steps, cancellationToken);
}
