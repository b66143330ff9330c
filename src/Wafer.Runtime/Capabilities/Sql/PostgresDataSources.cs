using System.Collections.Concurrent;
using Npgsql;
using Wafer.Protocol.Manifest;

namespace Wafer.Runtime.Capabilities.Sql;

/// <summary>
/// One pooled <see cref="NpgsqlDataSource"/> per distinct connection string (secrets filled in), created on first
/// use and kept for the life of the process. A changed secret yields a new string and so a new pool. The table of
/// pools is made on the first use too: a runtime whose plugins use no PostgreSQL connection never loads the driver.
/// </summary>
internal sealed class PostgresDataSources : IDisposable
{
    /// <summary>Cap on opening a connection (Npgsql counts whole seconds); the call's budget cuts it shorter.</summary>
    public const int MaxConnectSeconds = 15;

    private ConcurrentDictionary<string, Lazy<NpgsqlDataSource>>? _sources;

    public NpgsqlDataSource Get(string connString, PostgresConnectionSpec connection, string operation)
    {
        var normalized = Normalize(connString, connection, operation);
        var sources = LazyInitializer.EnsureInitialized(ref _sources, static () => new(StringComparer.Ordinal));
        return sources.GetOrAdd(normalized, static s => new Lazy<NpgsqlDataSource>(() => NpgsqlDataSource.Create(s))).Value;
    }

    /// <summary>An Npgsql connection string from either accepted form, with the host's settings applied.</summary>
    public static string Normalize(string connString, PostgresConnectionSpec connection, string operation)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = IsUrl(connString) ? FromUrl(connString) : new NpgsqlConnectionStringBuilder(connString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException or KeyNotFoundException)
        {
            throw new CapabilityException($"{operation}: connection '{connection.Name}': connString is not valid: {ex.Message}");
        }

        builder.Timeout = Math.Clamp((int)Math.Ceiling(connection.TimeoutMs / 1000.0), 1, MaxConnectSeconds);
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "wafer";
        }

        return builder.ConnectionString;
    }

    private static bool IsUrl(string text) =>
        text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>postgres://user:password@host:port/database?key=value</c>, as libpq and most providers write it.</summary>
    private static NpgsqlConnectionStringBuilder FromUrl(string text)
    {
        var url = DatabaseUrl.Parse(text);
        var builder = new NpgsqlConnectionStringBuilder { Host = url.Host, Username = url.User, Password = url.Password, Database = url.Database };
        if (url.Port is { } port)
        {
            builder.Port = port;
        }

        foreach (var (key, value) in url.Options)
        {
            builder[key] = value;
        }

        return builder;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _sources, null) is { } sources)
        {
            DisposeAll(sources);
        }
    }

    private static void DisposeAll(ConcurrentDictionary<string, Lazy<NpgsqlDataSource>> sources)
    {
        foreach (var source in sources.Values)
        {
            if (source.IsValueCreated)
            {
                source.Value.Dispose();
            }
        }
    }
}
