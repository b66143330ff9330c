using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Wafer.ControlPlane.Store;

/// <summary>
/// The orchestrator's database: SQLite in the storage path by default, PostgreSQL when given a connection string.
/// Owns the connection factory and brings the schema up to date on first use.
/// </summary>
public sealed class ControlDatabase : IAsyncDisposable
{
    public const string DefaultFileName = "orchestrator.db";

    private readonly NpgsqlDataSource? _postgres;
    private readonly string? _sqlite;
    private readonly SemaphoreSlim _migrateLock = new(1, 1);
    private volatile bool _migrated;

    private ControlDatabase(StoreDialect dialect, string? sqlite, NpgsqlDataSource? postgres)
    {
        Dialect = dialect;
        _sqlite = sqlite;
        _postgres = postgres;
    }

    public StoreDialect Dialect { get; }

    /// <summary>Where the data lives, without credentials (for logs).</summary>
    public string Description => Dialect == StoreDialect.Sqlite
        ? "SQLite " + new SqliteConnectionStringBuilder(_sqlite).DataSource
        : PostgresDescription(new NpgsqlConnectionStringBuilder(_postgres!.ConnectionString));

    private static string PostgresDescription(NpgsqlConnectionStringBuilder b) => $"PostgreSQL {b.Host}:{b.Port}/{b.Database}";

    /// <summary>
    /// Opens <paramref name="database"/>: a PostgreSQL connection string (<c>postgres://…</c> or <c>Host=…</c>)
    /// or a SQLite file path; null means <see cref="DefaultFileName"/> in <paramref name="storagePath"/>.
    /// </summary>
    public static ControlDatabase Open(string? database, string storagePath)
    {
        if (IsPostgres(database))
        {
            return new ControlDatabase(StoreDialect.Postgres, null, new NpgsqlDataSourceBuilder(ToNpgsql(database!)).Build());
        }

        var path = database ?? Path.Combine(storagePath, DefaultFileName);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var sqlite = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        return new ControlDatabase(StoreDialect.Sqlite, sqlite, null);
    }

    public static bool IsPostgres(string? database) =>
        database is not null && (database.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
                                 || database.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
                                 || database.Contains("Host=", StringComparison.OrdinalIgnoreCase));

    /// <summary>Opens a connection with the schema migrated.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = await OpenRawAsync(cancellationToken);
        if (!_migrated)
        {
            await _migrateLock.WaitAsync(cancellationToken);
            try
            {
                if (!_migrated)
                {
                    await ControlMigrations.ApplyAsync(connection, Dialect, cancellationToken);
                    _migrated = true;
                }
            }
            finally
            {
                _migrateLock.Release();
            }
        }

        return connection;
    }

    private async Task<DbConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }

        var connection = new SqliteConnection(_sqlite);
        await connection.OpenAsync(cancellationToken);
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private static string ToNpgsql(string database)
    {
        if (!database.Contains("://", StringComparison.Ordinal))
        {
            return database;
        }

        var uri = new Uri(database);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } name ? name : "postgres",
        };
        if (uri.UserInfo.Split(':', 2) is [var user, ..] && user.Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(user);
            if (uri.UserInfo.Split(':', 2) is [_, var password])
            {
                builder.Password = Uri.UnescapeDataString(password);
            }
        }

        return builder.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        _migrateLock.Dispose();
    }
}
