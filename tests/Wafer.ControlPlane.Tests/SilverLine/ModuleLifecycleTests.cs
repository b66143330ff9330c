using System.Net;
using System.Text;
using Wafer.ControlPlane.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.ControlPlane.Tests.SilverLine;

/// <summary>
/// A program module's state through its life (docs/silverline.md, "State"): <c>running</c>, <c>restarting</c> with the next
/// attempt, <c>exited</c> with its exit code, <c>lost</c> when its runtime dies under policy <c>never</c>; a lost runtime
/// or a drain moves an <c>always</c> module under its uuid and never runs a <c>never</c> one again. The orchestrator is
/// real (in-process broker); runtimes are fakes that answer commands (programs themselves run in the fleet tests).
/// </summary>
public sealed class ModuleLifecycleTests
{
    private static readonly byte[] Program = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

    private static async Task UploadAsync(OrchestratorHost host)
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(Program), "plugin", "job.wasm" },
            { new StringContent("""{"name":"job","type":"command"}"""), "manifest" },
        };
        using var response = await host.Client.PostAsync("/api/artifacts", form);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static async Task<string> CreateAsync(OrchestratorHost host, string restart, string? parent = null, string extra = "")
    {
        var uuid = Guid.NewGuid().ToString("D");
        var parentField = parent is null ? "" : $"\"parent\":\"{parent}\",";
        using var response = await host.Client.PostAsync("/api/modules", new StringContent(
            $$"""{"uuid":"{{uuid}}",{{parentField}}"file":"job","restart":"{{restart}}"{{extra}}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return uuid;
    }

    private static Task<JsonElement> ModuleAsync(OrchestratorHost host, string uuid) => host.GetJsonAsync($"/api/modules/{uuid}");

    private static async Task StateAsync(OrchestratorHost host, string uuid, string state) =>
        await Eventually.TrueAsync(async () => (await ModuleAsync(host, uuid)).GetProperty("state").GetString() == state, $"module {uuid} is {state}");

    private static Task ReportAsync(MqttProbe probe, FakeRuntime runtime, string type, IMessageBody body) =>
        probe.PublishAsync(Topics.Default.Events(runtime.Id), type, body);

    [Fact]
    public async Task RunsStartAndEnd_StateRunningRestartingThenExited_ProgramRemovedStateKept()
    {
        await using var host = await OrchestratorHost.StartAsync();
        await using var runtime = await FakeRuntime.StartAsync(host.BrokerUrl, "edge");
        await UploadAsync(host);
        await Eventually.TrueAsync(async () => (await host.GetJsonAsync("/api/runtimes")).GetProperty("count").GetInt32() == 1, "the runtime joined");
        var uuid = await CreateAsync(host, "on-failure", "edge", ""","wallClockSeconds":30""");
        await Eventually.TrueAsync(() => Task.FromResult(runtime.Modules.ContainsKey(uuid)), "the runtime got the module");
        Assert.Equal(30, runtime.Modules[uuid].Program!.WallClockSeconds);
        await using var probe = await MqttProbe.ConnectAsync(host.BrokerUrl, null);

        await ReportAsync(probe, runtime, MessageTypes.ModuleStarted, new ModuleStartedBody(uuid, 1));
        await Eventually.TrueAsync(async () => (await ModuleAsync(host, uuid)).GetProperty("run").ValueKind == JsonValueKind.Number, "the run is shown");
        var running = await ModuleAsync(host, uuid);
        Assert.Equal("running", running.GetProperty("state").GetString());
        Assert.Equal(1, running.GetProperty("run").GetInt32());
        Assert.Equal(30, running.GetProperty("wallClockSeconds").GetInt32());

        var next = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await ReportAsync(probe, runtime, MessageTypes.ModuleExited, new ModuleExitedBody(uuid, 3, "exited", null, "", "", 1, true, next));
        await StateAsync(host, uuid, "restarting");
        var restarting = await ModuleAsync(host, uuid);
        Assert.Equal(3, restarting.GetProperty("exitCode").GetInt32());
        Assert.Equal(next, restarting.GetProperty("nextAttemptAt").GetDateTimeOffset());

        await ReportAsync(probe, runtime, MessageTypes.ModuleStarted, new ModuleStartedBody(uuid, 2));
        await StateAsync(host, uuid, "running");
        await ReportAsync(probe, runtime, MessageTypes.ModuleExited, new ModuleExitedBody(uuid, null, "wall_clock_limit", "stopped after 30 s", "", "", 2, false));
        await StateAsync(host, uuid, "exited");
        await Eventually.TrueAsync(() => Task.FromResult(!runtime.Modules.ContainsKey(uuid)), "the ended program is removed from its runtime");
        var exited = await ModuleAsync(host, uuid);
        Assert.Equal("wall_clock_limit", exited.GetProperty("ended").GetString());
        Assert.Equal("run 2 ended wall_clock_limit: stopped after 30 s", exited.GetProperty("reason").GetString());
        Assert.Equal(runtime.Id, exited.GetProperty("parent").GetString());
        Assert.Equal(JsonValueKind.Null, exited.GetProperty("nextAttemptAt").ValueKind);
        var list = await host.GetJsonAsync("/api/modules");
        Assert.Contains(list.GetProperty("modules").EnumerateArray(), m => m.GetProperty("uuid").GetString() == uuid && m.GetProperty("state").GetString() == "exited");
    }

    [Fact]
    public async Task RuntimeDies_NeverModuleLostNotPlacedAgain_AlwaysModuleMovesUnderItsUuid()
    {
        await using var host = await OrchestratorHost.StartAsync();
        await using var notifications = await MqttProbe.ConnectAsync(host.BrokerUrl, null, "realm/proc/notif");
        await using var doomed = await FakeRuntime.StartAsync(host.BrokerUrl, "doomed");
        await UploadAsync(host);
        await Eventually.TrueAsync(async () => (await host.GetJsonAsync("/api/runtimes")).GetProperty("count").GetInt32() == 1, "the runtime joined");
        var never = await CreateAsync(host, "never");
        var always = await CreateAsync(host, "always");
        await StateAsync(host, never, "running");
        await StateAsync(host, always, "running");
        await using var survivor = await FakeRuntime.StartAsync(host.BrokerUrl, "survivor");
        await Eventually.TrueAsync(async () => (await host.GetJsonAsync("/api/runtimes")).GetProperty("count").GetInt32() == 2, "the second runtime joined");

        await doomed.CrashAsync();

        await StateAsync(host, never, "lost");
        await Eventually.TrueAsync(() => Task.FromResult(survivor.Modules.ContainsKey(always)), "the always module is placed on the survivor under its uuid");
        await Eventually.TrueAsync(async () => (await ModuleAsync(host, always)).GetProperty("parent").GetString() == survivor.Id, "the always module runs on the survivor");
        var lost = await ModuleAsync(host, never);
        Assert.Equal(doomed.Id, lost.GetProperty("parent").GetString());
        Assert.Contains("was lost while it ran; its restart policy is never", lost.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.False(survivor.Modules.ContainsKey(never));

        // Clients hear of it as of any end: SilverLine's exited notification, from the orchestrator this time.
        JsonElement told = default;
        await Eventually.TrueAsync(() => Task.FromResult(notifications.Received.Any(m =>
        {
            var data = JsonDocument.Parse(m.Payload).RootElement.GetProperty("data");
            return data.GetProperty("uuid").GetString() == never && (told = data.Clone()).ValueKind != JsonValueKind.Undefined;
        })), "the lost module's exited notification");
        Assert.Equal(("lost", false), (told.GetProperty("state").GetString(), told.GetProperty("restarting").GetBoolean()));
        Assert.Contains("its restart policy is never", told.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drain_AlwaysModuleMovesUnderItsUuid_NeverModuleStoppedAndEnded()
    {
        await using var host = await OrchestratorHost.StartAsync();
        await using var drained = await FakeRuntime.StartAsync(host.BrokerUrl, "drained");
        await UploadAsync(host);
        await Eventually.TrueAsync(async () => (await host.GetJsonAsync("/api/runtimes")).GetProperty("count").GetInt32() == 1, "the runtime joined");
        var never = await CreateAsync(host, "never");
        var always = await CreateAsync(host, "always");
        await StateAsync(host, never, "running");
        await StateAsync(host, always, "running");
        await using var other = await FakeRuntime.StartAsync(host.BrokerUrl, "other");
        await Eventually.TrueAsync(async () => (await host.GetJsonAsync("/api/runtimes")).GetProperty("count").GetInt32() == 2, "the second runtime joined");

        using var drain = await host.Client.PostAsync($"/api/runtimes/{drained.Id}/drain", null);
        Assert.True(drain.IsSuccessStatusCode, $"drain answered {(int)drain.StatusCode}");

        await Eventually.TrueAsync(() => Task.FromResult(other.Modules.ContainsKey(always) && !drained.Modules.ContainsKey(always)),
            "the always module left the draining runtime and runs on the other under its uuid");
        await Eventually.TrueAsync(() => Task.FromResult(!drained.Modules.ContainsKey(never)), "the never module is stopped on the draining runtime");
        await StateAsync(host, never, "exited");
        var ended = await ModuleAsync(host, never);
        Assert.Equal("drained", ended.GetProperty("ended").GetString());
        Assert.Contains("is draining and its restart policy is never", ended.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.False(other.Modules.ContainsKey(never));
    }
}
