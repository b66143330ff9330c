namespace Wafer.Fleet.Tests;

/// <summary>
/// What <c>wafer serve</c> loads: a driver or an SDK it does not use costs start-up time (loading, type loading,
/// compiling), so the PostgreSQL driver comes only with a PostgreSQL store and OpenTelemetry only with tracing on.
/// Read off the process's memory map (Linux), after its first call.
/// </summary>
public sealed partial class ServeTests
{
    private static readonly string[] PostgresDriver = ["Npgsql.dll"];
    private static readonly string[] TracingSdk = ["OpenTelemetry.dll", "OpenTelemetry.Exporter.OpenTelemetryProtocol.dll"];

    [Fact]
    public async Task Serve_OnSqliteWithTracingOff_LoadsNeitherThePostgresDriverNorOpenTelemetry()
    {
        using var serve = StartServe("--orchestratorPort", "0", "--brokerPort", "0");
        var (runtimeUrl, _) = await StartupLineAsync(serve);
        Assert.Equal("Hello, world!", await FleetCluster.CallHelloAsync(runtimeUrl, "hello"));

        var loaded = LoadedAssemblies(serve.Id);
        Assert.Contains("wafer.dll", loaded); // the map is read right: the CLI itself is there
        Assert.Contains("Microsoft.Data.Sqlite.dll", loaded);
        Assert.All(PostgresDriver.Concat(TracingSdk), name => Assert.DoesNotContain(name, loaded));
    }

    [Fact]
    public async Task Serve_WithTracesExported_LoadsOpenTelemetryAndItsExporter()
    {
        // nothing listens on the endpoint: spans are dropped, which this test does not look at
        using var serve = WaferProcess.Start("serve", new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9" },
            ["serve", "--plugins", Path.Combine(_folder, "plugins"), "--storagePath", Path.Combine(_folder, "storage"), "--port", "0",
                "--orchestratorPort", "0", "--brokerPort", "0", "--traces"]);
        var (runtimeUrl, _) = await StartupLineAsync(serve);
        Assert.Equal("Hello, world!", await FleetCluster.CallHelloAsync(runtimeUrl, "hello"));

        var loaded = LoadedAssemblies(serve.Id);
        Assert.All(TracingSdk, name => Assert.Contains(name, loaded));
        Assert.DoesNotContain(PostgresDriver[0], loaded);
    }

    /// <summary>The file names of the managed assemblies mapped into process <paramref name="pid"/>.</summary>
    private static HashSet<string> LoadedAssemblies(int pid) =>
        File.ReadLines($"/proc/{pid}/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && fields[^1].EndsWith(".dll", StringComparison.Ordinal))
            .Select(fields => Path.GetFileName(fields[^1]))
            .ToHashSet(StringComparer.Ordinal);
}
