using System.Data.Common;
using Npgsql;

namespace Wafer.Storage;

/// <summary>
/// A state database's PostgreSQL side: the pooled data source and what names it. Kept apart from
/// <see cref="StateDatabase"/> so that a server on SQLite (the default) never loads the PostgreSQL driver: the runtime
/// resolves a method's types when it first runs it, and only this class names Npgsql's.
/// </summary>
internal sealed class PostgresConnections : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;

    /// <param name="database">a <c>postgres://…</c> URL or an Npgsql connection string (<c>Host=…</c>)</param>
    public PostgresConnections(string database) => _source = new NpgsqlDataSourceBuilder(ToNpgsql(database)).Build();

    /// <summary>Where the data lives, without credentials (for logs).</summary>
    public string Description
    {
        get
        {
            var b = new NpgsqlConnectionStringBuilder(_source.ConnectionString);
            return $"PostgreSQL {b.Host}:{b.Port}/{b.Database}";
        }
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await _source.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => _source.DisposeAsync();

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
}
