using Npgsql;

namespace Wafer.Runtime.Tests.Support;

/// <summary>
/// Fresh databases for tests: a SQLite file in a temporary folder, or a new database on the PostgreSQL
/// server the test command started (<c>WAFER_TEST_POSTGRES</c>).
/// </summary>
public static class TestDatabases
{
    public const string PostgresVariable = "WAFER_TEST_POSTGRES";

    public static string Sqlite() =>
        Path.Combine(Path.GetTempPath(), "wafer-tests", "db-" + Guid.NewGuid().ToString("N")[..12], "wafer.db");

    /// <summary>Creates an empty database and returns its connection string; fails clearly when no server is configured.</summary>
    public static async Task<string> PostgresAsync()
    {
        var server = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrEmpty(server))
        {
            throw new InvalidOperationException(
                $"{PostgresVariable} is not set: run the tests with scripts/test.sh, or start a server with scripts/postgres.sh start and export {PostgresVariable}");
        }

        var name = "wafer_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
    }

    public const string MySqlVariable = "WAFER_TEST_MYSQL";

    /// <summary>
    /// Creates an empty database on the MySQL-compatible server the test command started (<c>WAFER_TEST_MYSQL</c>,
    /// MariaDB from scripts/mariadb.sh) and returns it as a <c>mysql://</c> URL, as a Modus manifest writes it.
    /// </summary>
    public static async Task<string> MySqlAsync()
    {
        var server = Environment.GetEnvironmentVariable(MySqlVariable);
        if (string.IsNullOrEmpty(server))
        {
            throw new InvalidOperationException(
                $"{MySqlVariable} is not set: run the tests with scripts/test.sh, or start a server with scripts/mariadb.sh start and export {MySqlVariable}");
        }

        var builder = new MySqlConnector.MySqlConnectionStringBuilder(server);
        var name = "wafer_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new MySqlConnector.MySqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new MySqlConnector.MySqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var password = string.IsNullOrEmpty(builder.Password) ? "" : ":" + Uri.EscapeDataString(builder.Password);
        return $"mysql://{Uri.EscapeDataString(builder.UserID)}{password}@{builder.Server}:{builder.Port}/{name}";
    }

    public static async Task<string> CreateAsync(string dialect) => dialect == "postgres" ? await PostgresAsync() : Sqlite();
}
