using System.Text;
using Wafer.Protocol.Manifest;

namespace Wafer.Runtime.Tests.Protocol;

/// <summary>The manifest's <c>triggers</c>: MQTT topics and cron schedules, and the mistakes refused with their path.</summary>
public sealed class ManifestTriggersTests
{
    private static PluginManifest Parse(string json) => ManifestReader.Parse(Encoding.UTF8.GetBytes(json), "p");

    private static string Refusal(string json) => Assert.Throws<ManifestException>(() => Parse(json)).Message;

    [Fact]
    public void Triggers_ReadMqttAndCron()
    {
        var manifest = Parse("""
            { "triggers": [
              { "mqtt": "sensors/+/reading", "function": "record", "reply": "sensors/recorded", "errors": "sensors/errors", "maxConcurrent": 8 },
              { "cron": "*/5 * * * * *", "function": "tick", "args": { "source": "cron" } },
              { "cron": "0 3 * * *", "function": "nightly" } ] }
            """);

        var mqtt = Assert.IsType<MqttTriggerSpec>(manifest.Triggers[0]);
        Assert.Equal(new MqttTriggerSpec("sensors/+/reading", "record", "sensors/recorded", "sensors/errors", 8) { Path = "$.triggers[0]" }, mqtt);
        var seconds = Assert.IsType<CronTriggerSpec>(manifest.Triggers[1]);
        Assert.True(seconds.HasSeconds);
        Assert.Equal("""{"source":"cron"}""", seconds.ArgumentsJson);
        var minutes = Assert.IsType<CronTriggerSpec>(manifest.Triggers[2]);
        Assert.False(minutes.HasSeconds);
        Assert.Equal("{}", minutes.ArgumentsJson);
        Assert.Equal(MqttTriggerSpec.DefaultMaxConcurrent, Assert.IsType<MqttTriggerSpec>(Parse("""{ "triggers": [ { "mqtt": "a", "function": "f" } ] }""").Triggers[0]).MaxConcurrent);
    }

    [Fact]
    public void CommandPlugin_CronStartsAJob()
    {
        var manifest = Parse("""{ "type": "command", "triggers": [ { "cron": "* * * * *", "job": { "args": ["a"], "env": { "K": "v" }, "stdin": "in" } } ] }""");
        var job = Assert.IsType<CronTriggerSpec>(manifest.Triggers[0]).Job!;
        Assert.Equal(["a"], job.Args);
        Assert.Equal("v", job.Env["K"]);
        Assert.Equal("in", job.Stdin);
    }

    [Theory]
    [InlineData("""{ "triggers": {} }""", "$.triggers must be an array")]
    [InlineData("""{ "triggers": [ { "function": "f" } ] }""", "$.triggers[0] must have exactly one of \"mqtt\"")]
    [InlineData("""{ "triggers": [ { "mqtt": "a", "cron": "* * * * *", "function": "f" } ] }""", "exactly one of")]
    [InlineData("""{ "triggers": [ { "mqtt": "a" } ] }""", "$.triggers[0].function is missing")]
    [InlineData("""{ "triggers": [ { "mqtt": "wafer/v1/runtimes/+/commands", "function": "f" } ] }""", "$.triggers[0].mqtt 'wafer/v1/runtimes/+/commands' must be a topic of your own")]
    [InlineData("""{ "triggers": [ { "mqtt": "realm/wafer/v1/orchestrator/status", "function": "f" } ] }""", "$.triggers[0].mqtt 'realm/wafer/v1/orchestrator/status' must be a topic of your own")]
    [InlineData("""{ "triggers": [ { "mqtt": "lab/proc/control", "function": "f" } ] }""", "$.triggers[0].mqtt 'lab/proc/control' must be a topic of your own")]
    [InlineData("""{ "triggers": [ { "mqtt": "#", "function": "f" } ] }""", "must be a topic of your own")]
    [InlineData("""{ "triggers": [ { "mqtt": "$SYS/x", "function": "f" } ] }""", "must be a topic of your own")]
    [InlineData("""{ "triggers": [ { "mqtt": "a/#/b", "function": "f" } ] }""", "'#' only as its whole last level")]
    [InlineData("""{ "triggers": [ { "mqtt": "a/b+", "function": "f" } ] }""", "'+' only as a whole level")]
    [InlineData("""{ "triggers": [ { "mqtt": "a", "function": "f", "reply": "r/+" } ] }""", "$.triggers[0].reply 'r/+' must not contain the wildcards")]
    [InlineData("""{ "triggers": [ { "mqtt": "a/#", "function": "f", "reply": "a/out" } ] }""", "$.triggers[0].reply 'a/out' matches the trigger's own topic")]
    [InlineData("""{ "triggers": [ { "mqtt": "a", "function": "f", "maxConcurrent": 0 } ] }""", "$.triggers[0].maxConcurrent must be between 1 and 256")]
    [InlineData("""{ "triggers": [ { "mqtt": "a", "function": "f", "qos": 2 } ] }""", "$.triggers[0].qos is not a key of an MQTT trigger")]
    [InlineData("""{ "triggers": [ { "cron": "* * * *", "function": "f" } ] }""", "must be a cron expression of 5 fields")]
    [InlineData("""{ "triggers": [ { "cron": "61 * * * *", "function": "f" } ] }""", "$.triggers[0].cron is not a valid cron expression")]
    [InlineData("""{ "triggers": [ { "cron": "0 9 * * *", "timezone": "Mars/Olympus", "function": "f" } ] }""", "$.triggers[0].timezone 'Mars/Olympus' is not an IANA time zone")]
    [InlineData("""{ "triggers": [ { "cron": "0 9 * * *", "timezone": "", "function": "f" } ] }""", "$.triggers[0].timezone")]
    [InlineData("""{ "triggers": [ { "cron": "* * * * *" } ] }""", "exactly one of \"function\" (to call) or \"job\"")]
    [InlineData("""{ "triggers": [ { "cron": "* * * * *", "job": {} } ] }""", "$.triggers[0].job starts a job of this plugin, which needs \"type\": \"command\"")]
    [InlineData("""{ "type": "command", "triggers": [ { "mqtt": "a", "function": "f" } ] }""", "an MQTT trigger calls a function; a command plugin has none")]
    [InlineData("""{ "type": "command", "triggers": [ { "cron": "* * * * *", "function": "f" } ] }""", "a command plugin has no functions")]
    [InlineData("""{ "triggers": [ { "cron": "* * * * *", "function": "f", "args": [1] } ] }""", "$.triggers[0].args must be a JSON object")]
    public void BadTriggers_AreRefusedWithTheirPath(string json, string expected) =>
        Assert.Contains(expected, Refusal(json), StringComparison.Ordinal);

    [Theory]
    [InlineData("a/+/c", "a/b/c", true)]
    [InlineData("a/+/c", "a/b/d", false)]
    [InlineData("a/#", "a", true)]
    [InlineData("a/#", "a/b/c", true)]
    [InlineData("a/b", "a/b/c", false)]
    [InlineData("a/+", "a", false)]
    [InlineData("+/+", "a/b", true)]
    [InlineData("a", "a", true)]
    public void TopicFilters_MatchByMqttRules(string filter, string topic, bool matches) =>
        Assert.Equal(matches, MqttTopicRules.Matches(filter, topic));
}
