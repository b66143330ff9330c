using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MQTTnet;
using Wafer.ControlPlane.Tests.Support;
using Wafer.Protocol.Security;
using Wafer.Tests.Shared;

namespace Wafer.ControlPlane.Tests.SilverLine;

/// <summary>
/// SilverLine modules created and deleted by clients (docs/silverline.md): the exact create and delete requests on
/// <c>{realm}/proc/control</c>, answered there and refused on <c>{realm}/proc/log/orchestrator</c>, and the same fields
/// and rules over REST; the runtime gets the program's argv, env and channels in <c>create_module</c>.
/// </summary>
public sealed class ModuleRequestTests
{
    // A WASI command's bytes are never run here (the runtime is a fake that checks the hash): any module will do.
    private static readonly byte[] Program = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    private const string Control = "realm/proc/control";
    private const string Log = "realm/proc/log/orchestrator";

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Uploads the program as an artifact whose manifest names it <paramref name="name"/>.</summary>
    private static async Task UploadAsync(OrchestratorHost host, string name, string type = "command", byte[]? wasm = null)
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(wasm ?? Program), "plugin", name + ".wasm" },
            { new StringContent($$$"""{"name":"{{{name}}}","type":"{{{type}}}"}"""), "manifest" },
        };
        using var response = await host.Client.PostAsync("/api/artifacts", form);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>SilverLine's create request, field for field as its clients send it.</summary>
    private static byte[] Create(string objectId, string uuid, string parent, string file = "wasm/polybench/2mm.wasm") => Encoding.UTF8.GetBytes($$$"""
        {"object_id":"{{{objectId}}}","action":"create","type":"req","data":{"type":"module","uuid":"{{{uuid}}}","name":"2mm",
         {{{(parent.Length > 0 ? $"\"parent\":\"{parent}\"," : "")}}}"file":"{{{file}}}","apis":["wasm","wasi"],
         "args":{"argv":["2mm","--size","64"],"env":["SEED=7","MODE=bench"]},
         "channels":[{"path":"/ch/light","mode":"rw","topic":"realm/kitchen/light"}]}}
        """);

    private static JsonObject Json(byte[] payload) => JsonNode.Parse(payload)!.AsObject();

    private static async Task<JsonObject> AnswerAsync(MqttProbe probe, string objectId) =>
        Json(await probe.WaitForAsync(Control, p => Json(p)["type"]?.GetValue<string>() == "resp" && Json(p)["object_id"]?.GetValue<string>() == objectId,
            $"the answer to {objectId}"));

    [Fact]
    public async Task CreateOverMqtt_SilverLinesExactRequest_PlacedOnTheNamedParentWithArgsEnvAndChannels()
    {
        await using var host = await OrchestratorHost.StartAsync();
        await using var other = await FakeRuntime.StartAsync(host.BrokerUrl, "other");
        await using var runtime = await FakeRuntime.StartAsync(host.BrokerUrl, "edge");
        await Eventually.TrueAsync(async () => (await host.GetJsonAsync("/api/runtimes")).GetProperty("count").GetInt32() == 2, "both runtimes joined");
        await UploadAsync(host, "2mm");
        await using var client = await MqttProbe.ConnectAsync(host.BrokerUrl, null, Control);
        var uuid = Guid.NewGuid().ToString("D");

        await client.PublishAsync(Control, Create("req-1", uuid, "edge"));

        var answer = await AnswerAsync(client, "req-1");
        Assert.Equal("create", answer["action"]!.GetValue<string>());
        Assert.Equal("ok", answer["data"]!["result"]!.GetValue<string>());
        Assert.Equal(uuid, answer["data"]!["details"]!["uuid"]!.GetValue<string>());
        Assert.Equal(Sha(Program), answer["data"]!["details"]!["hash"]!.GetValue<string>());
        await Eventually.TrueAsync(() => Task.FromResult(runtime.Modules.ContainsKey(uuid)), "the module reached its parent");
        var create = runtime.Modules[uuid];
        Assert.Equal(["2mm", "--size", "64"], create.Program!.Argv);
        Assert.Equal(["SEED=7", "MODE=bench"], create.Program.Env);
        Assert.Equal(new ChannelBody("/ch/light", "rw", "realm/kitchen/light"), Assert.Single(create.Program.Channels));
        Assert.Equal(RestartPolicy.Never, create.Program.Restart);
        Assert.Empty(other.Modules);

        var module = await host.GetJsonAsync($"/api/modules/{uuid}");
        Assert.Equal("2mm", module.GetProperty("name").GetString());
        Assert.Equal(runtime.Id, module.GetProperty("parent").GetString());
        Assert.Equal("""["2mm","--size","64"]""", module.GetProperty("args").GetRawText());
        Assert.Equal("""["SEED=7","MODE=bench"]""", module.GetProperty("env").GetRawText());
        Assert.Equal("""[{"path":"/ch/light","mode":"rw","topic":"realm/kitchen/light"}]""", module.GetProperty("channels").GetRawText());
    }

    [Fact]
    public async Task DeleteOverMqtt_StopsTheModuleOnItsRuntime_AndAnswers()
    {
        await using var host = await OrchestratorHost.StartAsync();
        await using var runtime = await FakeRuntime.StartAsync(host.BrokerUrl, "edge");
        await UploadAsync(host, "2mm");
        await using var client = await MqttProbe.ConnectAsync(host.BrokerUrl, null, Control);
        var uuid = Guid.NewGuid().ToString("D");
        await Eventually.TrueAsync(async () => (await host.GetJsonAsync("/api/runtimes")).GetProperty("count").GetInt32() == 1, "the runtime joined");
        await client.PublishAsync(Control, Create("c", uuid, "edge"));
        await Eventually.TrueAsync(() => Task.FromResult(runtime.Modules.ContainsKey(uuid)), "the module runs");

        await client.PublishAsync(Control, Encoding.UTF8.GetBytes($$$"""{"object_id":"d","action":"delete","type":"req","data":{"type":"module","uuid":"{{{uuid}}}"}}"""));

        Assert.Equal("ok", (await AnswerAsync(client, "d"))["data"]!["result"]!.GetValue<string>());
        await Eventually.TrueAsync(() => Task.FromResult(!runtime.Modules.ContainsKey(uuid)), "the runtime deleted the module");
        await Eventually.TrueAsync(async () => (await host.Client.GetAsync($"/api/modules/{uuid}")).StatusCode == HttpStatusCode.NotFound, "the module is gone");
    }

    [Theory]
    [InlineData("""{"object_id":"x","action":"create","type":"req","data":{"type":"module","name":"a"}}""", "missing field", "data/file")]
    [InlineData("""{"object_id":"x","action":"create","type":"req","data":{"type":"module","file":"nowhere.wasm"}}""", "file not found", "no uploaded artifact with hash or name 'nowhere.wasm'")]
    [InlineData("""{"object_id":"x","action":"create","type":"req","data":{"type":"module","file":"2mm.wasm","parent":"ghost"}}""", "invalid Runtime Name/UUID", "no online runtime with uuid or name 'ghost'")]
    [InlineData("""{"object_id":"x","action":"create","type":"req","data":{"type":"module","file":"2mm.wasm","uuid":"not-a-uuid"}}""", "invalid Module Name/UUID", "data.uuid 'not-a-uuid' is not a UUID")]
    [InlineData("""{"object_id":"x","action":"create","type":"req","data":{"type":"module","file":"2mm.wasm","args":{"env":["=x"]}}}""", "invalid field", "args.env[0] must be KEY=VALUE")]
    [InlineData("""{"object_id":"x","action":"create","type":"req","data":{"type":"module","file":"2mm.wasm","channels":[{"path":"../etc","mode":"r","topic":"t"}]}}""", "invalid field", "channels[0].path '../etc'")]
    [InlineData("""{"object_id":"x","action":"create","type":"req","data":{"type":"module","file":"2mm.wasm","channels":[{"path":"out","mode":"w","topic":"a/#"}]}}""", "invalid field", "has a wildcard")]
    [InlineData("""{"object_id":"x","action":"create","type":"req","data":{"type":"module","file":"2mm.wasm","channels":[{"path":"in","mode":"r","topic":"realm/proc/control"}]}}""", "invalid field", "channels[0].topic 'realm/proc/control' must be a topic of your own")]
    [InlineData("""{"object_id":"x","action":"create","type":"req","data":{"type":"module","file":"2mm.wasm","channels":[{"path":"out","mode":"w","topic":"realm/wafer/runtimes/x/commands"}]}}""", "invalid field", "must be a topic of your own")]
    [InlineData("""{"object_id":"x","action":"create","type":"req","data":{"type":"module","file":"2mm.wasm","restart":"sometimes"}}""", "invalid field", "restart is 'sometimes'")]
    [InlineData("""{"object_id":"x","action":"create","type":"req","data":{"type":"module","file":"2mm.wasm","wallClockSeconds":0}}""", "invalid field", "wallClockSeconds is 0; expected a whole number of seconds from 1 to 604800")]
    [InlineData("""{"object_id":"x","action":"create","type":"req","data":{"type":"module","file":"2mm.wasm","wallClockSeconds":"soon"}}""", "invalid field", "wallClockSeconds must be a whole number of seconds")]
    [InlineData("""{"object_id":"x","action":"launch","type":"req","data":{}}""", "invalid action/type", "action 'launch'")]
    [InlineData("""{"object_id":"x","action":"delete","type":"req","data":{"type":"module","uuid":"7d3f0a52-4bb4-4bd2-9f0e-2f6a1f0c9f11"}}""", "invalid Module Name/UUID", "no module with uuid")]
    [InlineData("""not json""", "Invalid JSON", "")]
    public async Task BadRequestOverMqtt_RefusedOnTheLogTopicAndAnswered_NothingCreated(string request, string desc, string data)
    {
        await using var host = await OrchestratorHost.StartAsync();
        await using var runtime = await FakeRuntime.StartAsync(host.BrokerUrl, "edge");
        await UploadAsync(host, "2mm");
        await using var client = await MqttProbe.ConnectAsync(host.BrokerUrl, null, Control, Log);

        await client.PublishAsync(Control, Encoding.UTF8.GetBytes(request));

        var error = Json(await client.WaitForAsync(Log, _ => true, "an error on the log topic"));
        Assert.Equal("error", error["action"]!.GetValue<string>());
        Assert.Equal("resp", error["type"]!.GetValue<string>());
        Assert.Equal(desc, error["data"]!["desc"]!.GetValue<string>());
        Assert.Contains(data, error["data"]!["data"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, (await host.GetJsonAsync("/api/modules")).GetProperty("count").GetInt32());
        Assert.Equal(0, (await host.GetJsonAsync("/api/deployments")).GetProperty("count").GetInt32());
        Assert.Empty(runtime.Modules);
    }

    [Fact]
    public async Task DuplicateUuid_SecondCreateRefused_FirstKept()
    {
        await using var host = await OrchestratorHost.StartAsync();
        await UploadAsync(host, "2mm");
        await using var client = await MqttProbe.ConnectAsync(host.BrokerUrl, null, Control, Log);
        var uuid = Guid.NewGuid().ToString("D");
        var body = $$$"""{"uuid":"{{{uuid}}}","name":"first","file":"2mm.wasm","args":{"argv":["a"]}}""";
        using var first = await host.Client.PostAsync("/api/modules", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        await client.PublishAsync(Control, Create("again", uuid, "", "2mm.wasm"));

        var answer = await AnswerAsync(client, "again");
        Assert.Equal("error", answer["data"]!["result"]!.GetValue<string>());
        Assert.Equal("duplicate module UUID; request ignored", answer["data"]!["details"]!["desc"]!.GetValue<string>());
        var module = await host.GetJsonAsync($"/api/modules/{uuid}");
        Assert.Equal("first", module.GetProperty("name").GetString());
        Assert.Equal("unplaced", module.GetProperty("state").GetString());
        Assert.Equal("""["a"]""", module.GetProperty("args").GetRawText());
    }

    [Fact]
    public async Task Rest_CreateAndDelete_SameFieldsAndRules()
    {
        await using var host = await OrchestratorHost.StartAsync();
        await using var runtime = await FakeRuntime.StartAsync(host.BrokerUrl, "edge");
        await UploadAsync(host, "2mm");
        await UploadAsync(host, "calc", type: "functions", wasm: [.. Program, 0x00, 0x04, 0x03, (byte)'a', (byte)'b', (byte)'c']); // other bytes: a hash has one manifest
        var uuid = Guid.NewGuid().ToString("D");

        using var bad = await host.Client.PostAsync("/api/modules", new StringContent("""{"file":"2mm.wasm","args":{"argv":[1]}}""", Encoding.UTF8, "application/json"));
        using var functions = await host.Client.PostAsync("/api/modules", new StringContent("""{"file":"calc"}""", Encoding.UTF8, "application/json"));
        using var created = await host.Client.PostAsync("/api/modules", new StringContent(
            $$$"""{"uuid":"{{{uuid}}}","file":"{{{Sha(Program)}}}","parent":"{{{runtime.Id}}}","args":{"argv":["x"],"env":["K=V"]},"restart":"on-failure"}""",
            Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("invalid field: data.args.argv[0] must be a string, got Number", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, functions.StatusCode);
        Assert.Contains("'calc' is a functions plugin", await functions.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/modules/{uuid}", created.Headers.Location?.OriginalString);
        await Eventually.TrueAsync(() => Task.FromResult(runtime.Modules.ContainsKey(uuid)), "the module reached the runtime");
        Assert.Equal(RestartPolicy.OnFailure, runtime.Modules[uuid].Program!.Restart);
        Assert.Equal("on-failure", (await host.GetJsonAsync($"/api/modules/{uuid}")).GetProperty("restart").GetString());

        using var deleted = await host.Client.DeleteAsync($"/api/modules/{uuid}");
        using var again = await host.Client.DeleteAsync($"/api/modules/{uuid}");

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        await Eventually.TrueAsync(() => Task.FromResult(!runtime.Modules.ContainsKey(uuid)), "the runtime deleted the module");
    }

    [Fact]
    public async Task Token_OnlyTheOperatorsUserMayCreate_RuntimesMayNot()
    {
        const string token = "fleet-s3cret";
        await using var host = await OrchestratorHost.StartAsync(o =>
        {
            o.ApiToken = token;
            o.MqttUsername = "operator";
            o.MqttPassword = "op-pass";
        });
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/api/artifacts")
        {
            Content = new MultipartFormDataContent
            {
                { new ByteArrayContent(Program), "plugin", "2mm.wasm" },
                { new StringContent("""{"name":"2mm","type":"command"}"""), "manifest" },
            },
        };
        upload.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.Created, (await host.Client.SendAsync(upload)).StatusCode);
        var runtimeId = Guid.NewGuid().ToString("D");
        await using var runtime = await MqttProbe.ConnectAsync(
            $"mqtt://{runtimeId}:{Uri.EscapeDataString(FleetKeys.BrokerPassword(token, runtimeId))}@127.0.0.1:{host.Options.BrokerPort}",
            b => b.WithClientId("wafer-runtime-" + runtimeId));
        await using var operatorClient = await MqttProbe.ConnectAsync($"mqtt://operator:op-pass@127.0.0.1:{host.Options.BrokerPort}", null, Control);

        await Assert.ThrowsAsync<InvalidOperationException>(() => MqttProbe.ConnectAsync(host.BrokerUrl));
        var byRuntime = await runtime.PublishAsync(Control, Create("r", Guid.NewGuid().ToString("D"), "", "2mm.wasm"));
        var uuid = Guid.NewGuid().ToString("D");
        var byOperator = await operatorClient.PublishAsync(Control, Encoding.UTF8.GetBytes(
            $$$"""{"object_id":"o","action":"create","type":"req","data":{"type":"module","uuid":"{{{uuid}}}","file":"2mm.wasm"}}"""));

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, byRuntime.ReasonCode);
        Assert.True(byOperator.IsSuccess, byOperator.ReasonCode.ToString());
        Assert.Equal("ok", (await AnswerAsync(operatorClient, "o"))["data"]!["result"]!.GetValue<string>());
        Assert.Equal(1, (await host.GetJsonAsync("/api/deployments", token)).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task ModuleExited_FromItsRuntime_NotifiedOnProcNotifAndShownInItsReason()
    {
        await using var host = await OrchestratorHost.StartAsync();
        await using var runtime = await FakeRuntime.StartAsync(host.BrokerUrl, "edge");
        await UploadAsync(host, "2mm");
        await using var client = await MqttProbe.ConnectAsync(host.BrokerUrl, null, Control, "realm/proc/notif");
        var uuid = Guid.NewGuid().ToString("D");
        await Eventually.TrueAsync(async () => (await host.GetJsonAsync("/api/runtimes")).GetProperty("count").GetInt32() == 1, "the runtime joined");
        await client.PublishAsync(Control, Create("c", uuid, "edge"));
        await Eventually.TrueAsync(async () => (await host.GetJsonAsync($"/api/modules/{uuid}")).GetProperty("state").GetString() == "running", "the module runs");

        // What the runtime publishes when the program's run ends (the fake runtime does not run programs).
        await client.PublishAsync(Topics.Default.Events(runtime.Id), MessageTypes.ModuleExited,
            new ModuleExitedBody(uuid, 0, "exited", null, "2mm: 64x64 done\n", "", 1, false));

        var notification = Json(await client.WaitForAsync("realm/proc/notif", _ => true, "the exited notification"));
        Assert.Equal("exited", notification["action"]!.GetValue<string>());
        Assert.Equal(uuid, notification["data"]!["uuid"]!.GetValue<string>());
        Assert.Equal(0, notification["data"]!["exit_code"]!.GetValue<int>());
        Assert.Equal("2mm: 64x64 done\n", notification["data"]!["stdout"]!.GetValue<string>());
        await Eventually.TrueAsync(async () => (await host.GetJsonAsync($"/api/modules/{uuid}")).GetProperty("reason").GetString() == "run 1 exited with code 0",
            "the module's reason says how its run ended");
    }
}
