using Wafer.Protocol.V1;
using Wafer.Runtime.Agent;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Agent;

/// <summary>
/// One owner per plugin name: the plugins folder and the orchestrator's placements never replace each other's plugin,
/// whichever comes first and however close together they come, and each side reports what happened to it.
/// </summary>
public sealed class PluginOwnershipTests
{
    [Fact]
    public async Task FolderPlugin_AppearingWhereAModuleIsPlaced_IsRefusedNamingTheModule_AndServedOnceTheModuleGoes()
    {
        await using var fleet = await AgentHarness.StartAsync();
        await fleet.RunAsync("m-1", plugin: "shared");
        var reloader = fleet.Runtime.Services.GetRequiredService<PluginReloader>();

        File.Copy(TestGuests.Wasm("counter"), Path.Combine(fleet.Runtime.PluginsPath, "shared.wasm"));
        await reloader.ScanAsync();

        var served = fleet.Runtime.Catalog.Current.PluginsByName["shared"];
        Assert.Equal(PluginOwner.Placement, served.Owner);
        var status = Assert.Single(reloader.Status);
        Assert.Equal(PluginSourceStatus.Refused, status.State);
        Assert.Equal("plugin 'shared' is already served here as module m-1 placed by the orchestrator; a plugin in the plugins folder cannot replace it", status.Error);

        await fleet.Orchestrator.AnswerToAsync(fleet.RuntimeId, await fleet.Orchestrator.SendAsync(fleet.RuntimeId, MessageTypes.DeleteModule, new DeleteModuleBody("m-1")), MessageTypes.ModuleDeleted);
        await Eventually.TrueAsync(() => fleet.Runtime.Catalog.Current.PluginsByName.TryGetValue("shared", out var p) && p.Owner == PluginOwner.Folder, "the folder plugin to be served once the module is gone",
            TimeSpan.FromSeconds(30));
        Assert.True(fleet.Runtime.Catalog.Current.ByName.ContainsKey("next"));
    }

    [Fact]
    public async Task Placement_OfAFolderPluginsName_FailsNamingTheFolder_AndTheFolderPluginStays()
    {
        await using var fleet = await AgentHarness.StartAsync();
        File.Copy(TestGuests.Wasm("counter"), Path.Combine(fleet.Runtime.PluginsPath, "shared.wasm"));
        await fleet.Runtime.Services.GetRequiredService<PluginReloader>().ScanAsync();

        var (request, _) = await fleet.CreateAsync("m-1", plugin: "shared");

        var answer = await fleet.AnswerAsync(request);
        Assert.Equal(MessageTypes.ModuleFailed, answer.Type);
        Assert.StartsWith("plugin 'shared' is already served here from the local plugins folder (", ((ModuleFailedBody)answer.Message!.Body!).Reason);
        Assert.Equal(PluginOwner.Folder, fleet.Runtime.Catalog.Current.PluginsByName["shared"].Owner);
    }

    /// <summary>
    /// The folder gains a plugin at the moment the orchestrator places a module of the same name, many times over: each
    /// time exactly one of them serves the name, the other says it was refused, and neither claims what the other holds.
    /// </summary>
    [Fact]
    public async Task FolderReloadAndPlacementOfOneName_Racing_LeaveExactlyOneOwner_AndBothReportIt()
    {
        await using var fleet = await AgentHarness.StartAsync();
        var reloader = fleet.Runtime.Services.GetRequiredService<PluginReloader>();
        var echo = await File.ReadAllBytesAsync(TestGuests.Wasm("echo"));
        var outcomes = new List<PluginOwner>();
        for (var round = 1; round <= 12; round++)
        {
            var name = $"race{round}";
            var place = Task.Run(async () => await fleet.AnswerAsync((await fleet.CreateAsync($"m-{round}", plugin: name)).RequestId));
            var reload = Task.Run(async () =>
            {
                await File.WriteAllBytesAsync(Path.Combine(fleet.Runtime.PluginsPath, name + ".wasm"), echo);
                await reloader.ScanAsync();
            });
            await Task.WhenAll(place, reload);
            await reloader.ScanAsync(); // whatever the watcher queued has run

            var owner = fleet.Runtime.Catalog.Current.PluginsByName[name].Owner;
            var placed = (await place).Type == MessageTypes.ModuleRunning;
            var folder = reloader.Status.Single(s => s.SourcePath.EndsWith(name + ".wasm", StringComparison.Ordinal));
            Assert.True(placed == (owner == PluginOwner.Placement), $"round {round}: the catalog's owner is {owner}, the placement answered {(await place).Type}");
            Assert.Equal(owner == PluginOwner.Folder ? PluginSourceStatus.Loaded : PluginSourceStatus.Refused, folder.State);
            var report = fleet.Runtime.Services.GetRequiredService<PlacedModules>().Reports().SingleOrDefault(r => r.ModuleId == $"m-{round}");
            Assert.Equal(placed, report?.State == ModuleState.Running);
            outcomes.Add(owner);
        }

        TestContext.Current.TestOutputHelper?.WriteLine("owners by round: " + string.Join(", ", outcomes));
    }
}
