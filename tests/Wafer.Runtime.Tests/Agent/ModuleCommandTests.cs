using System.Net;
using Wafer.Protocol.V1;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Agent;

/// <summary>The orchestrator's commands: create_module (fetch, verify, load, serve), delete_module, drain, and refused messages. (docs/protocol.md; an in-process broker and a fake orchestrator.)</summary>
public sealed class ModuleCommandTests
{
    [Fact]
    public async Task CreateModule_FetchesVerifiesLoadsAndServes()
    {
        await using var fleet = await AgentHarness.StartAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await fleet.Runtime.PostJsonAsync("/functions/hello", "")).Response.StatusCode);

        await fleet.RunAsync("m-1");

        var (response, body) = await fleet.Runtime.PostJsonAsync("/functions/hello", "");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello", body.GetProperty("result").GetString());
        Assert.Equal("orchestrator:m-1", fleet.Runtime.Catalog.Current.PluginsByName["echo"].SourcePath);
    }

    [Fact]
    public async Task CreateModule_ConfigOfTheCommand_OverridesTheManifest()
    {
        await using var fleet = await AgentHarness.StartAsync();
        var (request, _) = await fleet.CreateAsync("m-1", manifest: """{"name":"echo","config":{"a":"1","b":"2"}}""",
            config: new Dictionary<string, string> { ["b"] = "3" });

        Assert.Equal(MessageTypes.ModuleRunning, (await fleet.AnswerAsync(request)).Type);
        var config = fleet.Runtime.Catalog.Current.PluginsByName["echo"].Manifest.Config;
        Assert.Equal("1", config["a"]);
        Assert.Equal("3", config["b"]);
    }

    [Fact]
    public async Task CreateModule_CommandPluginWithADataFolder_RunsWithItsFolderCreatedUnderTheStoragePath()
    {
        await using var fleet = await AgentHarness.StartAsync();

        var (request, _) = await fleet.CreateAsync("m-1", guest: "c-job", plugin: "notes",
            manifest: """{"name":"notes","type":"command","files":{"path":"state"}}""");

        var answer = await fleet.AnswerAsync(request);
        Assert.True(answer.Type == MessageTypes.ModuleRunning, (answer.Message!.Body as ModuleFailedBody)?.Reason);
        var folder = Path.Combine(fleet.StoragePath, "data", "notes", "state");
        Assert.Equal(folder, fleet.Runtime.Catalog.Current.PluginsByName["notes"].FolderPath);
        var job = await Wafer.Runtime.Tests.Jobs.Jobs.RunAsync(fleet.Runtime, new { plugin = "notes", args = new[] { "write", "/data/a.txt", "placed" } });
        Assert.Equal(0, job.GetProperty("exitCode").GetInt32());
        Assert.Equal("placed", File.ReadAllText(Path.Combine(folder, "a.txt")));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("../modules")]
    public async Task CreateModule_CommandPluginAskingForAHostFolder_FailsNamingTheFolderAndTheFlag(string path)
    {
        await using var fleet = await AgentHarness.StartAsync();

        var (request, _) = await fleet.CreateAsync("m-1", guest: "c-job", plugin: "grab",
            manifest: $$$"""{"name":"grab","type":"command","files":{"path":"{{{path}}}"}}""");

        var answer = await fleet.AnswerAsync(request);
        Assert.Equal(MessageTypes.ModuleFailed, answer.Type);
        var reason = answer.Body<ModuleFailedBody>().Reason;
        Assert.StartsWith("files.path: folder '", reason);
        Assert.Contains($"is outside the plugin's data folder '{Path.Combine(fleet.StoragePath, "data", "grab")}'", reason);
        Assert.Contains("--allowFolders", reason);
        Assert.Empty(fleet.Runtime.Catalog.Current.Plugins);
    }

    [Fact]
    public async Task CreateModule_SameCommandAgain_AnswersRunningWithoutFetching()
    {
        await using var fleet = await AgentHarness.StartAsync();
        await fleet.RunAsync("m-1");
        var fetches = fleet.Artifacts.Authorizations.Count;

        await fleet.RunAsync("m-1");

        Assert.Equal(fetches, fleet.Artifacts.Authorizations.Count);
        Assert.Single(fleet.Runtime.Catalog.Current.Plugins);
    }

    [Fact]
    public async Task CreateModule_HashMismatch_FailsNamingBothHashes()
    {
        await using var fleet = await AgentHarness.StartAsync();
        var expected = new string('0', 64);

        var (request, actual) = await fleet.CreateAsync("m-1", hash: expected);

        var answer = await fleet.AnswerAsync(request);
        Assert.Equal(MessageTypes.ModuleFailed, answer.Type);
        Assert.Equal("m-1", answer.Body<ModuleFailedBody>().ModuleId);
        Assert.Equal($"hash mismatch: expected {expected}, got {actual}", answer.Body<ModuleFailedBody>().Reason);
        Assert.Equal(HttpStatusCode.NotFound, (await fleet.Runtime.PostJsonAsync("/functions/hello", "")).Response.StatusCode);
        Assert.Empty(fleet.Runtime.Catalog.Current.Plugins);
    }

    [Fact]
    public async Task CreateModule_DownloadFails_NamesTheStatus()
    {
        await using var fleet = await AgentHarness.StartAsync();
        var missing = new string('b', 64);
        var body = new CreateModuleBody("m-1", "echo", missing, fleet.Artifacts.UrlOf(missing), JsonDocument.Parse("{}").RootElement, null);

        var request = await fleet.Orchestrator.SendAsync(fleet.RuntimeId, MessageTypes.CreateModule, body);

        var answer = await fleet.AnswerAsync(request);
        Assert.Equal($"download failed: GET {fleet.Artifacts.UrlOf(missing)} answered 404 Not Found", answer.Body<ModuleFailedBody>().Reason);
    }

    [Theory]
    [InlineData("echo", """{"name":"other"}""", "invalid manifest: it names plugin 'other' but the command places 'echo'")]
    [InlineData("echo", """{"limits":{"timeoutMs":"soon"}}""", "invalid manifest: $.limits.timeoutMs")]
    [InlineData("no-meta", "{}", "invalid wasm: module has no wafer.meta custom section")]
    [InlineData("", "{}", "invalid wasm: ")]
    public async Task CreateModule_BadManifestOrWasm_FailsWithTheReason(string guest, string manifest, string reason)
    {
        await using var fleet = await AgentHarness.StartAsync();

        var (request, _) = await fleet.CreateAsync("m-1", guest: guest, manifest: manifest, wasm: guest.Length == 0 ? "not wasm"u8.ToArray() : null);

        var answer = await fleet.AnswerAsync(request);
        Assert.Equal(MessageTypes.ModuleFailed, answer.Type);
        Assert.StartsWith(reason, answer.Body<ModuleFailedBody>().Reason, StringComparison.Ordinal);
        Assert.Empty(fleet.Runtime.Catalog.Current.Plugins);
    }

    [Fact]
    public async Task CreateModule_ArtifactFetch_SendsTheBearerToken()
    {
        await using var fleet = await AgentHarness.StartAsync(o => o.Agent.ControlToken = "s3cret");
        fleet.Artifacts.Token = "s3cret";
        await fleet.RunAsync("m-1");
        Assert.All(fleet.Artifacts.Authorizations, a => Assert.Equal("Bearer s3cret", a));

        fleet.Artifacts.Token = "rotated";
        var (request, hash) = await fleet.CreateAsync("m-2", guest: "counter", plugin: "counter");

        var reason = (await fleet.AnswerAsync(request)).Body<ModuleFailedBody>().Reason;
        Assert.Equal($"download failed: GET {fleet.Artifacts.UrlOf(hash)} answered 401 Unauthorized", reason);
    }

    [Fact]
    public async Task CreateModule_NewVersionOfAPlugin_DisplacesTheOldModule()
    {
        await using var fleet = await AgentHarness.StartAsync();
        await fleet.RunAsync("m-1");

        var (request, _) = await fleet.CreateAsync("m-2", guest: "counter", plugin: "echo");

        Assert.Equal(MessageTypes.ModuleRunning, (await fleet.AnswerAsync(request)).Type);
        var deleted = await fleet.Orchestrator.WaitForAsync(fleet.RuntimeId, MessageTypes.ModuleDeleted);
        Assert.Equal(new ModuleDeletedBody(request, "m-1"), deleted.Body<ModuleDeletedBody>());
        Assert.Equal(HttpStatusCode.OK, (await fleet.Runtime.PostJsonAsync("/functions/next", "")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fleet.Runtime.PostJsonAsync("/functions/hello", "")).Response.StatusCode);
    }

    [Fact]
    public async Task CreateModule_SameVersionUnderTwoIds_SharesItUntilBothAreDeleted()
    {
        await using var fleet = await AgentHarness.StartAsync();
        await fleet.RunAsync("m-1");
        await fleet.RunAsync("m-2");

        await fleet.Orchestrator.AnswerToAsync(fleet.RuntimeId, await fleet.Orchestrator.SendAsync(fleet.RuntimeId, MessageTypes.DeleteModule, new DeleteModuleBody("m-1")), MessageTypes.ModuleDeleted);
        Assert.Equal(HttpStatusCode.OK, (await fleet.Runtime.PostJsonAsync("/functions/hello", "")).Response.StatusCode);

        await fleet.Orchestrator.AnswerToAsync(fleet.RuntimeId, await fleet.Orchestrator.SendAsync(fleet.RuntimeId, MessageTypes.DeleteModule, new DeleteModuleBody("m-2")), MessageTypes.ModuleDeleted);
        Assert.Equal(HttpStatusCode.NotFound, (await fleet.Runtime.PostJsonAsync("/functions/hello", "")).Response.StatusCode);
    }

    [Fact]
    public async Task DeleteModule_StopsServingIt()
    {
        await using var fleet = await AgentHarness.StartAsync();
        await fleet.RunAsync("m-1");

        var request = await fleet.Orchestrator.SendAsync(fleet.RuntimeId, MessageTypes.DeleteModule, new DeleteModuleBody("m-1"));

        var deleted = await fleet.Orchestrator.AnswerToAsync(fleet.RuntimeId, request, MessageTypes.ModuleDeleted);
        Assert.Equal("m-1", deleted.Body<ModuleDeletedBody>().ModuleId);
        Assert.Equal(HttpStatusCode.NotFound, (await fleet.Runtime.PostJsonAsync("/functions/hello", "")).Response.StatusCode);
        fleet.Orchestrator.Clear();
        await fleet.Orchestrator.WaitForAsync(fleet.RuntimeId, MessageTypes.Keepalive, r => r.Body<KeepaliveBody>().Modules.Count == 0);

        var again = await fleet.Orchestrator.SendAsync(fleet.RuntimeId, MessageTypes.DeleteModule, new DeleteModuleBody("m-1"));
        await fleet.Orchestrator.AnswerToAsync(fleet.RuntimeId, again, MessageTypes.ModuleDeleted);
    }

    [Fact]
    public async Task Drain_PublishesDrainingRefusesNewModulesAndKeepsServing()
    {
        await using var fleet = await AgentHarness.StartAsync();
        await fleet.RunAsync("m-1");

        await fleet.Orchestrator.SendAsync(fleet.RuntimeId, MessageTypes.Drain, new DrainBody());

        var status = await fleet.Orchestrator.WaitForAsync(fleet.RuntimeId, MessageTypes.Status, r => r.Body<StatusBody>().State == StatusBody.Draining);
        Assert.True(status.Retain);
        Assert.Equal(StatusBody.Draining, ((StatusBody)(await fleet.Broker.RetainedAsync(Topics.Default.Status(fleet.RuntimeId)))!.Body).State);
        var (request, _) = await fleet.CreateAsync("m-2", guest: "counter", plugin: "counter");
        Assert.Equal("runtime is draining and accepts no new modules", (await fleet.AnswerAsync(request)).Body<ModuleFailedBody>().Reason);
        Assert.Equal(HttpStatusCode.OK, (await fleet.Runtime.PostJsonAsync("/functions/hello", "")).Response.StatusCode);
        Assert.True(fleet.Agent.IsDraining);
    }

    [Fact]
    public async Task MalformedMessages_GetAnErrorEventAndChangeNothing()
    {
        await using var fleet = await AgentHarness.StartAsync();
        await fleet.RunAsync("m-1");
        var version = fleet.Runtime.Catalog.Current.Version;
        var commands = Topics.Default.Commands(fleet.RuntimeId);

        await fleet.Orchestrator.PublishAsync(commands, "not json"u8.ToArray(), retain: false);
        await fleet.Orchestrator.PublishAsync(commands, """{"v":2,"type":"drain","id":"r-v2","sentAt":"2026-11-23T10:00:00Z","body":{}}"""u8.ToArray(), retain: false);
        await fleet.Orchestrator.PublishAsync(commands, """{"v":1,"type":"delete_module","id":"r-null","sentAt":"2026-11-23T10:00:00Z","body":{"moduleId":null}}"""u8.ToArray(), retain: false);
        await fleet.Orchestrator.PublishAsync(Topics.Default.OrchestratorStatus, """{"v":1,"type":"drain","id":"r-topic","sentAt":"2026-11-23T10:00:00Z","body":{}}"""u8.ToArray(), retain: false);

        var errors = new List<ErrorBody>();
        await Eventually.TrueAsync(() =>
        {
            errors = fleet.Orchestrator.All.Where(r => r.Type == MessageTypes.Error).Select(r => r.Body<ErrorBody>()).ToList();
            return errors.Count == 4;
        }, "four error events", FakeOrchestrator.Deadline);
        Assert.Contains(errors, e => e.RequestId is null && e.Topic == commands && e.Reason.StartsWith("message is not a valid envelope", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.RequestId == "r-v2" && e.Reason == "unsupported protocol version 2; this peer speaks version 1");
        Assert.Contains(errors, e => e.RequestId == "r-null" && e.Reason.StartsWith("delete_module: invalid body", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.RequestId == "r-topic" && e.Topic == Topics.Default.OrchestratorStatus);

        Assert.Equal(version, fleet.Runtime.Catalog.Current.Version);
        Assert.Equal(HttpStatusCode.OK, (await fleet.Runtime.PostJsonAsync("/functions/hello", "")).Response.StatusCode);
        Assert.False(fleet.Agent.IsDraining);
        Assert.Equal(StatusBody.Online, ((StatusBody)(await fleet.Broker.RetainedAsync(Topics.Default.Status(fleet.RuntimeId)))!.Body).State);
    }
}
