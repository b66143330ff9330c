using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Wafer.Storage;

/// <summary>
/// A state database shared by the runtime and the orchestrator: SQLite in a file by default, PostgreSQL when
/// given a connection string. Owns the connection factory and brings the schema up to date, once, on first use;
/// each owner supplies its own migrations.
/// </summary>
public abstract class StateDatabase : IAsyncDisposable
{
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private readonly PostgresConnections? _postgres;
    private readonly string? _sqlite;
    private readonly SemaphoreSlim _migrateLock = new(1, 1);
    private volatile bool _migrated;

    /// <param name="database">a PostgreSQL connection string (<c>postgres://…</c> or <c>Host=…</c>) or a SQLite file path; null means <paramref name="defaultFile"/></param>
    protected StateDatabase(string? database, string defaultFile, bool sharedCache)
    {
        if (IsPostgres(database))
        {
            _postgres = new PostgresConnections(database!);
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

    public SqlDialect Dialect => UsesPostgres ? SqlDialect.Postgres : SqlDialect.Sqlite;

    /// <summary>The full path of the SQLite file; null on PostgreSQL.</summary>
    public string? SqliteFile => _sqlite is null ? null : Path.GetFullPath(new SqliteConnectionStringBuilder(_sqlite).DataSource);

    /// <summary>Where the data lives, without credentials (for logs).</summary>
    public string Description
    {
        get
        {
            return _postgres is null ? "SQLite " + new SqliteConnectionStringBuilder(_sqlite).DataSource : _postgres.Description;
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
        if (_migrated)
        {
            return connection;
        }

        try
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
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return connection;
    }

    /// <summary>
    /// Opens the database, brings its schema up to date and checks it with a round trip; with
    /// <paramref name="integrity"/>, SQLite's <c>quick_check</c> of every page instead (it reads the whole file, so it
    /// belongs at start or after a failure). Throws <see cref="StateDatabaseCorruptException"/> for a damaged SQLite
    /// file, the driver's exception for anything else.
    /// </summary>
    public async Task CheckAsync(bool integrity, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = _postgres is null && integrity ? "PRAGMA quick_check(5)" : "SELECT 'ok'";
            var problems = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    problems.Add(reader.GetString(0));
                }
            }

            if (problems is not ["ok"])
            {
                throw new StateDatabaseCorruptException($"the integrity check failed: {string.Join("; ", problems)}");
            }
        }
        catch (SqliteException ex) when (IsCorruption(ex))
        {
            throw new StateDatabaseCorruptException(ex.Message, ex);
        }
    }

    /// <summary>True when <paramref name="exception"/> says the SQLite file is damaged (not merely busy or missing).</summary>
    public static bool IsCorruption(Exception exception) => exception switch
    {
        StateDatabaseCorruptException => true,
        SqliteException sqlite => (sqlite.SqliteErrorCode & 0xFF) is SqliteCorrupt or SqliteNotADatabase,
        _ => false,
    };

    /// <summary>
    /// Moves a damaged SQLite file (and its <c>-wal</c>, <c>-shm</c> and <c>-journal</c> files) aside to
    /// <c>FILE.corrupt-TIMESTAMP</c>, so the next use creates a new, empty database; returns the new name.
    /// </summary>
    public string Quarantine(DateTimeOffset now)
    {
        var file = SqliteFile ?? throw new InvalidOperationException("only a SQLite database is kept in a file");
        using (var connection = new SqliteConnection(_sqlite))
        {
            SqliteConnection.ClearPool(connection); // idle pooled connections hold the file open
        }

        var stamped = file + ".corrupt-" + now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var target = stamped;
        for (var n = 2; File.Exists(target); n++)
        {
            target = $"{stamped}-{n}";
        }

        File.Move(file, target);
        foreach (var suffix in (string[])["-wal", "-shm", "-journal"])
        {
            if (File.Exists(file + suffix))
            {
                File.Move(file + suffix, target + suffix, overwrite: true);
            }
        }

        _migrated = false;
        return target;
    }

    /// <summary>Brings the owner's schema up to date on <paramref name="connection"/>.</summary>
    protected abstract Task MigrateAsync(DbConnection connection, CancellationToken cancellationToken);

    private async Task<DbConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenAsync(cancellationToken);
        }

        var connection = new SqliteConnection(_sqlite);
        try
        {
            await connection.OpenAsync(cancellationToken);
            using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
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
