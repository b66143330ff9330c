using System.Text;
using Wafer.ControlPlane.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.ControlPlane.Tests.Mqtt;

/// <summary>One orchestrator with its in-process broker and one announced runtime, shared by the hostile-message tests.</summary>
public sealed class OrchestratorWithRuntime : IAsyncLifetime
{
    internal OrchestratorHost Host { get; private set; } = null!;

    public MqttProbe Probe { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Host = await OrchestratorHost.StartAsync();
        Probe = await MqttProbe.ConnectAsync(Host.BrokerUrl, null, Topics.Default.OrchestratorErrors);
        await Probe.PublishAsync(Topics.Default.Announce("r1"), MessageTypes.Announce, Fleets.Announce("r1") with { KeepaliveSec = 600 }, retain: true);
        await Eventually.TrueAsync(() => Host.View.Current.Runtimes.ContainsKey("r1"), "r1 is known");
    }

    public async ValueTask DisposeAsync()
    {
        await Probe.DisposeAsync();
        await Host.DisposeAsync();
    }
}

public sealed class HostileMessageTests(OrchestratorWithRuntime fixture) : IClassFixture<OrchestratorWithRuntime>
{
    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    private static string Wire(string type, string body, int v = 1, string id = "x1") =>
        $$"""{"v":{{v}},"type":"{{type}}","id":"{{id}}","sentAt":"2026-11-23T10:00:00.000Z","body":{{body}}}""";

    public static TheoryData<string, string, string> Cases => new()
    {
        { "garbage", "realm/wafer/v1/runtimes/r1/keepalive", "not a valid envelope" },
        { "empty-object", "realm/wafer/v1/runtimes/r1/keepalive", "no protocol version" },
        { "wrong-version", "realm/wafer/v1/runtimes/r1/keepalive", "unsupported protocol version 2" },
        { "unknown-type", "realm/wafer/v1/runtimes/r1/events", "unknown message type 'reboot'" },
        { "misplaced-type", "realm/wafer/v1/runtimes/r1/announce", "not allowed on the announce channel" },
        { "wrong-runtime-id", "realm/wafer/v1/runtimes/r1/announce", "body names runtime 'r2'" },
        { "missing-field", "realm/wafer/v1/runtimes/r1/status", "invalid body" },
        { "bad-state", "realm/wafer/v1/runtimes/r1/status", "state" },
        { "bad-keepalive-interval", "realm/wafer/v1/runtimes/r1/announce", "keepaliveSec must be between 1 and 3600" },
        { "script-url", "realm/wafer/v1/runtimes/r1/announce", "url must be an absolute http(s) URL" },
        { "tls-h2c-url", "realm/wafer/v1/runtimes/r1/announce", "h2cUrl must be an absolute http URL, got 'https://r1.test:9000'" },
        { "null-module", "realm/wafer/v1/runtimes/r1/keepalive", "modules" },
        { "deep-topic", "realm/wafer/v1/runtimes/r1/status/extra", "not a protocol version 1 topic" },
        { "huge", "realm/wafer/v1/runtimes/r1/announce", "exceeds the 1048576-byte limit" },
    };

    private static byte[] Payload(string name)
    {
        var announce = JsonSerializer.Serialize(Fleets.Announce("r1"), MessageCodec.Json);
        return name switch
        {
            "garbage" => [0xff, 0x00, 0x13, 0x37, (byte)'{'],
            "empty-object" => Json("{}"),
            "wrong-version" => Json(Wire("keepalive", """{"runtimeId":"r1","load":{"inFlight":0,"callsPerSec":0,"cpuPercent":0,"memoryMb":0},"modules":[]}""", v: 2)),
            "unknown-type" => Json(Wire("reboot", "{}")),
            "misplaced-type" => Json(Wire("keepalive", """{"runtimeId":"r1","load":{"inFlight":0,"callsPerSec":0,"cpuPercent":0,"memoryMb":0},"modules":[]}""")),
            "wrong-runtime-id" => Json(Wire("announce", announce.Replace("\"r1\"", "\"r2\"", StringComparison.Ordinal))),
            "missing-field" => Json(Wire("status", """{"runtimeId":"r1"}""")),
            "bad-state" => Json(Wire("status", """{"runtimeId":"r1","state":"exploded"}""")),
            "bad-keepalive-interval" => Json(Wire("announce", announce.Replace("\"keepaliveSec\":5", "\"keepaliveSec\":0", StringComparison.Ordinal))),
            "script-url" => Json(Wire("announce", announce.Replace("http://r1.test", "javascript:alert(1)", StringComparison.Ordinal))),
            "tls-h2c-url" => Json(Wire("announce", announce.Replace("\"h2cUrl\":null", "\"h2cUrl\":\"https://r1.test:9000\"", StringComparison.Ordinal))),
            "null-module" => Json(Wire("keepalive", """{"runtimeId":"r1","load":{"inFlight":0,"callsPerSec":0,"cpuPercent":0,"memoryMb":0},"modules":[null]}""")),
            "deep-topic" => Json(Wire("status", """{"runtimeId":"r1","state":"offline"}""")),
            "huge" => Json(Wire("announce", announce.Replace("\"name\":\"r1\"", $"\"name\":\"{new string('x', 1_200_000)}\"", StringComparison.Ordinal))),
            _ => throw new ArgumentException(name),
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HostileMessage_RefusedWithErrorEvent_StateUnchanged(string name, string topic, string reasonPart)
    {
        var before = await fixture.Host.GetJsonAsync("/api/runtimes");
        var version = fixture.Host.View.Current.Version;

        await fixture.Probe.PublishAsync(topic, Payload(name));

        var error = await fixture.Probe.WaitForErrorAsync(topic, reasonPart);
        Assert.Equal(topic, error.Topic);
        Assert.Equal(name is "garbage" or "empty-object" or "huge" ? null : "x1", error.RequestId);
        var after = await fixture.Host.GetJsonAsync("/api/runtimes");
        var runtime = after.GetProperty("runtimes")[0];
        Assert.Equal("r1", runtime.GetProperty("name").GetString());
        Assert.Equal("http://r1.test", runtime.GetProperty("url").GetString());
        Assert.Equal("online", runtime.GetProperty("state").GetString());
        Assert.Equal(before.GetProperty("count").GetInt32(), after.GetProperty("count").GetInt32());
        Assert.Equal(version, fixture.Host.View.Current.Version);
    }

    [Fact]
    public async Task ValidMessage_AfterHostileOnes_StillProcessed()
    {
        await fixture.Probe.PublishAsync(Topics.Default.Announce("r1"), Json("not json at all"));
        await fixture.Probe.PublishAsync(Topics.Default.Announce("r1"), MessageTypes.Announce, Fleets.Announce("r1") with { Name = "renamed", KeepaliveSec = 600 }, retain: true);

        await Eventually.TrueAsync(() => fixture.Host.View.Current.Runtimes["r1"].Name == "renamed", "the valid announce is applied");
        await fixture.Probe.PublishAsync(Topics.Default.Announce("r1"), MessageTypes.Announce, Fleets.Announce("r1") with { KeepaliveSec = 600 }, retain: true);
        await Eventually.TrueAsync(() => fixture.Host.View.Current.Runtimes["r1"].Name == "r1", "the name is restored");
    }
}
