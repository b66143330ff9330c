using System.Buffers;
using System.Text;
using Wafer.Runtime.Tests.Support;
using Wafer.Runtime.Triggers;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Triggers;

/// <summary>
/// MQTT triggers of a runtime on its own (<c>--mqtt</c>) against the test Mosquitto (<c>WAFER_TEST_MQTT</c>): real wasm
/// guests, real broker, the test's own client publishing. Each test uses topics under a prefix of its own.
/// </summary>
public sealed class MqttTriggerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static string BrokerUrl => Environment.GetEnvironmentVariable("WAFER_TEST_MQTT")
                                       ?? throw new InvalidOperationException("WAFER_TEST_MQTT must name the test broker (mqtt://user:password@127.0.0.1:PORT)");

    /// <summary>
    /// A runtime serving <c>hello</c> (the AssemblyScript hello guest: <c>greet(name: string)</c>, <c>hello()</c>), <c>crash</c>
    /// (unreachable.wasm: <c>crash()</c> traps) and <c>spin</c> (slow.wasm: <c>spin()</c> loops, 300 ms limit),
    /// each with triggers under <paramref name="prefix"/>.
    /// </summary>
    private static async Task<RuntimeServer> StartAsync(string prefix, bool withBroker = true)
    {
        var server = await RuntimeServer.StartAsync([], o => o.Triggers.Mqtt = withBroker ? BrokerUrl : null);
        var folder = server.PluginsPath;
        RuntimeServer.CopyGuest("hello", folder, "hello");
        File.WriteAllText(Path.Combine(folder, "hello.wafer.json"), $$"""
            { "name": "hello", "triggers": [
              { "mqtt": "{{prefix}}/greet/+", "function": "greet", "reply": "{{prefix}}/replies", "errors": "{{prefix}}/errors" },
              { "mqtt": "{{prefix}}/hello", "function": "hello", "reply": "{{prefix}}/replies", "errors": "{{prefix}}/errors" } ] }
            """);
        RuntimeServer.CopyGuest("unreachable", folder, "crash");
        File.WriteAllText(Path.Combine(folder, "crash.wafer.json"), $$"""
            { "name": "crash", "triggers": [ { "mqtt": "{{prefix}}/crash", "function": "crash", "errors": "{{prefix}}/errors" } ] }
            """);
        RuntimeServer.CopyGuest("slow", folder, "spin");
        File.WriteAllText(Path.Combine(folder, "spin.wafer.json"), $$"""
            { "name": "spin", "limits": { "timeoutMs": 300 }, "triggers": [ { "mqtt": "{{prefix}}/spin", "function": "spin", "errors": "{{prefix}}/errors" } ] }
            """);
        await Eventually.TrueAsync(() => server.Catalog.Current.PluginsByName.Count == 3, "the three plugins load", Bound);
        if (withBroker)
        {
            var mqtt = server.Services.GetRequiredService<RuntimeTriggers>().Host!.Mqtt!;
            await Eventually.TrueAsync(() => mqtt.Subscribed.Count == 4, "the four trigger topics are subscribed", Bound);
        }

        return server;
    }

    private static string NewPrefix() => "wafer-tests/triggers/" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Publish_OnTriggerTopic_PublishesTheResultToTheReplyTopic()
    {
        var prefix = NewPrefix();
        await using var server = await StartAsync(prefix);
        await using var probe = await MqttProbe.ConnectAsync(BrokerUrl, prefix + "/replies", prefix + "/errors");

        // One string parameter: the raw payload is the argument, and a string result comes back as its text.
        await probe.PublishAsync(prefix + "/greet/a", "wörld, raw payload");
        var replies = await probe.WaitForAsync(prefix + "/replies", 1, Bound);
        Assert.Equal("Hello, wörld, raw payload!", MqttProbe.Text(replies[0]));
        Assert.StartsWith("text/plain", replies[0].ContentType, StringComparison.Ordinal);
        Assert.Contains(replies[0].UserProperties!, p => p.Name == "status" && Encoding.ASCII.GetString(p.ValueBuffer.Span) == "200");

        // No parameters: the payload is a JSON object of arguments, empty here.
        await probe.PublishAsync(prefix + "/hello", "");
        replies = await probe.WaitForAsync(prefix + "/replies", 2, Bound);
        Assert.Equal("Hello, world!", MqttProbe.Text(replies[1]));
        Assert.DoesNotContain(probe.Received, m => m.Topic == prefix + "/errors");
    }

    [Fact]
    public async Task Publish_WithResponseTopic_AnswersThereWithTheCorrelationData()
    {
        var prefix = NewPrefix();
        await using var server = await StartAsync(prefix);
        await using var probe = await MqttProbe.ConnectAsync(BrokerUrl, prefix + "/replies", prefix + "/mine");

        byte[] correlation = [1, 2, 3, 250];
        await probe.PublishAsync(prefix + "/greet/b", "asker", responseTopic: prefix + "/mine", correlation: correlation);
        var answers = await probe.WaitForAsync(prefix + "/mine", 1, Bound);
        Assert.Equal("Hello, asker!", MqttProbe.Text(answers[0]));
        Assert.Equal(correlation, answers[0].CorrelationData);
        Assert.DoesNotContain(probe.Received, m => m.Topic == prefix + "/replies"); // the response topic replaces the reply topic
    }

    [Fact]
    public async Task Failures_GoToTheErrorTopicAsProblems_AndTheNextMessageStillWorks()
    {
        var prefix = NewPrefix();
        await using var server = await StartAsync(prefix);
        await using var probe = await MqttProbe.ConnectAsync(BrokerUrl, prefix + "/replies", prefix + "/errors");

        await probe.PublishAsync(prefix + "/crash", "");
        var errors = await probe.WaitForAsync(prefix + "/errors", 1, Bound);
        var trap = JsonDocument.Parse(errors[0].Payload.ToArray()).RootElement;
        Assert.Equal("trap", trap.GetProperty("cause").GetString());
        Assert.Equal(500, trap.GetProperty("status").GetInt32());
        Assert.Equal("crash", trap.GetProperty("plugin").GetString());
        Assert.Equal(prefix + "/crash", trap.GetProperty("topic").GetString());
        Assert.Equal("$.triggers[0]", trap.GetProperty("trigger").GetString());
        Assert.Equal("application/problem+json", errors[0].ContentType);

        await probe.PublishAsync(prefix + "/spin", "");
        errors = await probe.WaitForAsync(prefix + "/errors", 2, Bound);
        Assert.Equal("timeout", JsonDocument.Parse(errors[1].Payload.ToArray()).RootElement.GetProperty("cause").GetString());

        // A payload that is not a JSON object, for a function that takes named arguments: refused before any call.
        await probe.PublishAsync(prefix + "/hello", "[1, 2]");
        errors = await probe.WaitForAsync(prefix + "/errors", 3, Bound);
        var bad = JsonDocument.Parse(errors[2].Payload.ToArray()).RootElement;
        Assert.Equal("bad_request", bad.GetProperty("cause").GetString());
        Assert.Contains("JSON object of named arguments", bad.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Not UTF-8, for a string parameter.
        await probe.PublishAsync(prefix + "/greet/c", [0xff, 0xfe, 0x41]);
        errors = await probe.WaitForAsync(prefix + "/errors", 4, Bound);
        Assert.Contains("not valid UTF-8", JsonDocument.Parse(errors[3].Payload.ToArray()).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // An argument the function does not take: the runtime's own 400, passed on.
        await probe.PublishAsync(prefix + "/hello", """{"nope": 1}""");
        errors = await probe.WaitForAsync(prefix + "/errors", 5, Bound);
        Assert.Equal(400, JsonDocument.Parse(errors[4].Payload.ToArray()).RootElement.GetProperty("status").GetInt32());

        await probe.PublishAsync(prefix + "/greet/d", "again");
        var replies = await probe.WaitForAsync(prefix + "/replies", 1, Bound);
        Assert.Equal("Hello, again!", MqttProbe.Text(replies[0]));
    }

    [Fact]
    public async Task Runtime_WithoutBroker_ServesTheFunctionsButNotTheMqttTriggers()
    {
        var prefix = NewPrefix();
        await using var server = await StartAsync(prefix, withBroker: false);
        var triggers = server.Services.GetRequiredService<RuntimeTriggers>().Host!;
        Assert.Null(triggers.Mqtt);
        var (response, body) = await server.PostJsonAsync("/functions/hello/greet", """{"name": "direct"}""");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello, direct!", body.GetProperty("result").GetString());
    }

    [Fact]
    public void Options_MqttWithJoin_IsRefusedNamingTheFlag()
    {
        var errors = new TriggerOptions { Mqtt = "mqtt://127.0.0.1:1883" }.Validate(joined: true);
        Assert.Contains(errors, e => e.Contains("--mqtt", StringComparison.Ordinal) && e.Contains("orchestrator", StringComparison.Ordinal));
        Assert.Contains(new TriggerOptions { Mqtt = "http://x" }.Validate(joined: false), e => e.StartsWith("Triggers.Mqtt (--mqtt)", StringComparison.Ordinal));
    }
}
