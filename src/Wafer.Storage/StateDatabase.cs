using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Wafer.Storage;

/// <summary>
/// A state database shared by the runtime and the orchestrator: SQLite in a file by default, PostgreSQL when
/// given a connection string. Owns the connection factory and brings the schema up to date, once, on first use;
/// each owner supplies its own migrations.
/// </summary>
public abstract class StateDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private readonly string? _sqlite;
    private readonly SemaphoreSlim _migrateLock = new(1, 1);
    private volatile bool _migrated;

    /// <param name="database">a PostgreSQL connection string (<c>postgres://…</c> or <c>Host=…</c>) or a SQLite file path; null means <paramref name="defaultFile"/></param>
    protected StateDatabase(string? database, string defaultFile, bool sharedCache)
    {
        if (IsPostgres(database))
        {
            _postgres = new NpgsqlDataSourceBuilder(ToNpgsql(database!)).Build();
            return;
        }

        var path = database ?? defaultFile;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _sqlite = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Pooling = true,
            Cache = sharedCache ? SqliteCacheMode.Shared : SqliteCacheMode.Default,
        }.ToString();
    }

    /// <summary>True for PostgreSQL, false for SQLite.</summary>
    public bool UsesPostgres => _postgres is not null;

    /// <summary>Where the data lives, without credentials (for logs).</summary>
    public string Description
    {
        get
        {
            if (_postgres is null)
            {
                return "SQLite " + new SqliteConnectionStringBuilder(_sqlite).DataSource;
            }

            var b = new NpgsqlConnectionStringBuilder(_postgres.ConnectionString);
            return $"PostgreSQL {b.Host}:{b.Port}/{b.Database}";
        }
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
                    await MigrateAsync(connection, cancellationToken);
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

    /// <summary>Brings the owner's schema up to date on <paramref name="connection"/>.</summary>
    protected abstract Task MigrateAsync(DbConnection connection, CancellationToken cancellationToken);

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
        GC.SuppressFinalize(this);
    }
}
