using Wafer.ControlPlane.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.ControlPlane.Tests.Mqtt;

/// <summary>
/// Every topic lies under the orchestrator's realm (<c>--realm</c>, docs/protocol.md "Topics"): runtimes of its realm
/// join, runtimes speaking in another realm of the same broker are never seen, and its own status is published there.
/// </summary>
public sealed class RealmTests
{
    [Fact]
    public async Task Realm_OnlyRuntimesOfTheSameRealmJoin()
    {
        await using var host = await OrchestratorHost.StartAsync(o => o.Realm = "lab");
        await using var status = await MqttProbe.ConnectAsync(host.BrokerUrl, null, "lab/wafer/v1/orchestrator/status", "realm/wafer/v1/orchestrator/status");
        await using var stranger = await FakeRuntime.StartInRealmAsync(host.BrokerUrl, Topics.Default);
        await using var member = await FakeRuntime.StartInRealmAsync(host.BrokerUrl, new Topics("lab"));

        await Eventually.TrueAsync(async () => (await host.GetJsonAsync("/api/runtimes")).GetProperty("count").GetInt32() == 1, "the lab runtime joined");
        await status.WaitForAsync("lab/wafer/v1/orchestrator/status", _ => true, "the orchestrator's status in its realm");

        var runtimes = await host.GetJsonAsync("/api/runtimes");
        Assert.Equal(member.Id, runtimes.GetProperty("runtimes")[0].GetProperty("uuid").GetString());
        Assert.DoesNotContain(status.Received, m => m.Topic.StartsWith("realm/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "Realm (--realm): the realm must not be empty")]
    [InlineData("a/b", "Realm (--realm): the realm 'a/b' must be one topic level of letters, digits, '-', '_' and '.' (no '/', '+', '#' or spaces)")]
    [InlineData("lab#", "Realm (--realm): the realm 'lab#' must be one topic level of letters, digits, '-', '_' and '.' (no '/', '+', '#' or spaces)")]
    public void Realm_NotOneTopicLevel_RefusedNamingTheFlag(string realm, string error)
    {
        var options = new Wafer.ControlPlane.Hosting.OrchestratorOptions { Realm = realm };

        Assert.Contains(error, options.Validate());
    }
}
