using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.AssemblyScript;

/// <summary>One runtime serving the AssemblyScript test guests, shared by the tests of a class.</summary>
public sealed class AssemblyScriptServer : IAsyncLifetime
{
    public RuntimeServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await RuntimeServer.StartAsync(["hello", "types", "faults", "naming"]);
        File.WriteAllText(Path.Combine(Server.PluginsPath, "faults.wafer.json"), """{"name":"faults","limits":{"timeoutMs":300,"memoryMb":8}}""");
        await Server.Services.GetRequiredService<Wafer.Runtime.Catalog.PluginReloader>().ScanAsync();
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
