using Npgsql;

namespace Wafer.ControlPlane.Tests.Support;

/// <summary>
/// Fresh databases for tests: a SQLite file in a temporary folder, or a new database on the PostgreSQL server the
/// test command started (<c>WAFER_TEST_POSTGRES</c>).
/// </summary>
public static class TestDatabases
{
    public const string PostgresVariable = "WAFER_TEST_POSTGRES";

    public static string Sqlite() => Path.Combine(TempFolder(), "orchestrator.db");

    public static string TempFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "wafer-tests", "cp-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Creates an empty database and returns its connection string; fails clearly when no server is configured.</summary>
    public static async Task<string> PostgresAsync()
    {
        var server = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrEmpty(server))
        {
            throw new InvalidOperationException(
                $"{PostgresVariable} is not set: run the tests with scripts/test.sh, or start a server with scripts/postgres.sh start and export {PostgresVariable}");
        }

        var name = "wafer_cp_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
    }

    public static async Task<string> CreateAsync(string dialect) => dialect == "postgres" ? await PostgresAsync() : Sqlite();
}
