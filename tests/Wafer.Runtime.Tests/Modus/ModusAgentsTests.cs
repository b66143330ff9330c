using Wafer.Runtime.Catalog;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Modus;

/// <summary>
/// The Modus SDK's agents example: a counter agent in a long-lived instance, driven by functions that start it,
/// message it (waiting for the answer, and without waiting), list and stop it; its state survives a restart of the
/// runtime. Also the older lifecycle exports of a June-2025 build, which load.
/// </summary>
public sealed class ModusAgentsTests
{
    [Fact]
    public async Task CounterAgent_CountsAcrossMessages_AndKeepsItsStateAcrossARestart()
    {
        var storage = Path.Combine(Path.GetTempPath(), "wafer-tests", "agents-" + Guid.NewGuid().ToString("N")[..12]);
        string id;
        await using (var server = await Start(storage))
        {
            var info = await Result(server, "startCounterAgent");
            id = info.GetProperty("id").GetString()!;
            Assert.Equal(("Counter", "running"), (info.GetProperty("name").GetString(), info.GetProperty("status").GetString()));
            Assert.Equal(0, (await Result(server, "getCount", $$"""{"agentId":"{{id}}"}""")).GetInt32());
            Assert.Equal(1, (await Result(server, "updateCount", $$"""{"agentId":"{{id}}"}""")).GetInt32());
            await Result(server, "updateCountAsync", $$"""{"agentId":"{{id}}","qty":5}""");
            await WaitForCount(server, id, 6);
            Assert.Equal(id, (await Result(server, "ListAgents"))[0].GetProperty("id").GetString());
            var graphql = await server.GraphQLAsync($$"""mutation { updateCount(agentId: "{{id}}") }""");
            Assert.Equal(7, graphql.GetProperty("data").GetProperty("updateCount").GetInt32());
        }

        await using (var restarted = await Start(storage))
        {
            Assert.Equal(7, (await Result(restarted, "getCount", $$"""{"agentId":"{{id}}"}""")).GetInt32());
            Assert.Equal(8, (await Result(restarted, "updateCount", $$"""{"agentId":"{{id}}"}""")).GetInt32());
            Assert.Equal("terminated", (await Result(restarted, "stopAgent", $$"""{"agentId":"{{id}}"}""")).GetProperty("status").GetString());
            Assert.Equal(0, (await Result(restarted, "ListAgents")).GetArrayLength());
            var (response, problem) = await restarted.PostJsonAsync("/functions/agents/getCount", $$"""{"agentId":"{{id}}"}""");
            Assert.Equal(500, (int)response.StatusCode);
            Assert.Contains("terminated", problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task UnknownAgent_IsAnErrorTheGuestReports()
    {
        await using var server = await Start(Path.Combine(Path.GetTempPath(), "wafer-tests", "agents-" + Guid.NewGuid().ToString("N")[..12]));
        var (response, problem) = await server.PostJsonAsync("/functions/agents/getCount", """{"agentId":"00000000000000000000"}""");
        Assert.Equal(500, (int)response.StatusCode);
        Assert.Contains("does not exist", problem.GetProperty("detail").GetString());
    }

    private static async Task<RuntimeServer> Start(string storage)
    {
        var server = await RuntimeServer.StartAsync([], storagePath: storage);
        ModusFixtures.Copy("agents", server.PluginsPath);
        await server.Services.GetRequiredService<PluginReloader>().ScanAsync();
        return server;
    }

    private static async Task<JsonElement> Result(RuntimeServer server, string function, string json = "{}")
    {
        var (response, body) = await server.PostJsonAsync($"/functions/agents/{function}", json);
        Assert.True(response.IsSuccessStatusCode, $"{function}: {(int)response.StatusCode} {body}");
        return body.GetProperty("result");
    }

    private static async Task WaitForCount(RuntimeServer server, string id, int expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((await Result(server, "getCount", $$"""{"agentId":"{{id}}"}""")).GetInt32() != expected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the count did not reach {expected}");
            await Task.Delay(50);
        }
    }
}
