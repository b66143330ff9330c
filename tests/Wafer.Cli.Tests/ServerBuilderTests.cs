using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Wafer.ControlPlane.Hosting;
using Wafer.Gateway.Hosting;
using Wafer.Runtime.Hosting;
using Wafer.Tests.Shared;

namespace Wafer.Cli.Tests;

/// <summary>
/// Every server reads appsettings.json from its working folder once and does not watch it: a watch puts an inotify
/// watch on every folder below the working folder (seconds of start-up in a repository or a home folder, and a
/// failed start where the machine's inotify limits run out).
/// </summary>
public sealed class ServerBuilderTests
{
    [Fact]
    public async Task Runtime_ReadsAppSettings_WithoutWatchingTheWorkingFolder()
    {
        var folder = TempFolder();
        await using var app = RuntimeApp.Build(
            new RuntimeOptions { PluginsPath = folder, StoragePath = Path.Combine(folder, "storage"), Database = Path.Combine(folder, "wafer.db") },
            "http://127.0.0.1:0", minimumLevel: LogLevel.None);
        AssertReadOnce(app);
    }

    [Fact]
    public async Task Orchestrator_ReadsAppSettings_WithoutWatchingTheWorkingFolder()
    {
        var folder = TempFolder();
        await using var app = OrchestratorApp.Build(
            new OrchestratorOptions { Port = 0, BrokerPort = LoopbackPorts.Free(), StoragePath = folder, Database = Path.Combine(folder, "fleet.db") },
            minimumLevel: LogLevel.None);
        AssertReadOnce(app);
    }

    [Fact]
    public async Task Gateway_ReadsAppSettings_WithoutWatchingTheWorkingFolder()
    {
        await using var app = GatewayApp.Build(new GatewayOptions { Orchestrator = "http://127.0.0.1:9", Port = 0, Host = "127.0.0.1" }, minimumLevel: LogLevel.None);
        AssertReadOnce(app);
    }

    private static void AssertReadOnce(WebApplication app)
    {
        var files = ((IConfigurationRoot)app.Configuration).Providers.OfType<FileConfigurationProvider>().ToList();
        Assert.Contains(files, file => file.Source.Path == "appsettings.json");
        Assert.All(files, file => Assert.False(file.Source.ReloadOnChange, $"{file.Source.Path} is watched for changes"));
    }

    private static string TempFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "wafer-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
