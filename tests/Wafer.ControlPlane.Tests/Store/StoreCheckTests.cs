using Microsoft.Extensions.Logging;
using Wafer.ControlPlane.Hosting;
using Wafer.ControlPlane.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.ControlPlane.Tests.Store;

/// <summary>
/// The orchestrator's store holds the fleet, so a damaged one is never replaced: the orchestrator refuses to start,
/// says which file and how to recover, and leaves the file where it is; a store that does not answer stops the start too.
/// </summary>
public sealed class StoreCheckTests
{
    [Fact]
    public async Task DamagedStore_RefusesToStart_AndKeepsTheFile()
    {
        var folder = TestDatabases.TempFolder();
        var path = Path.Combine(folder, "orchestrator.db");
        var garbage = new byte[8192];
        Array.Fill(garbage, (byte)0x5A);
        await File.WriteAllBytesAsync(path, garbage);

        await using var app = OrchestratorApp.Build(Options(folder, path), minimumLevel: LogLevel.Warning);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.StartsWith($"the store {path} is damaged (", refused.Message, StringComparison.Ordinal);
        Assert.EndsWith("restore it from a backup, or move it aside to start with an empty fleet", refused.Message, StringComparison.Ordinal);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(path));
        Assert.Empty(Directory.GetFiles(folder, "*.corrupt-*"));
    }

    [Fact]
    public async Task UnreachablePostgresStore_RefusesToStart()
    {
        var port = LoopbackPorts.Free();
        var folder = TestDatabases.TempFolder();

        await using var app = OrchestratorApp.Build(Options(folder, $"Host=127.0.0.1;Port={port};Username=wafer;Database=fleet;Timeout=3"), minimumLevel: LogLevel.Warning);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.StartsWith($"the store (PostgreSQL 127.0.0.1:{port}/fleet) does not answer: ", refused.Message, StringComparison.Ordinal);
    }

    private static OrchestratorOptions Options(string folder, string database) => new()
    {
        Port = 0,
        BrokerPort = LoopbackPorts.Free(),
        StoragePath = folder,
        Database = database,
    };
}
