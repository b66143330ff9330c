using System.Net.Http.Json;
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
    public async Task AgentEventSubscription_StreamsPublishedEventsAsServerSentEvents_AndEndsWhenTheAgentStops()
    {
        await using var server = await Start(Path.Combine(Path.GetTempPath(), "wafer-tests", "agents-" + Guid.NewGuid().ToString("N")[..12]));
        Assert.Contains("agentEvent(agentId: String!): AgentEvent!", await server.Client.GetStringAsync("/graphql?sdl"));
        var id = (await Result(server, "startCounterAgent")).GetProperty("id").GetString()!;

        using var request = Subscribe(id);
        using var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var events = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));

        Assert.Equal(1, (await Result(server, "updateCount", $$"""{"agentId":"{{id}}"}""")).GetInt32());
        Assert.Equal(2, (await Result(server, "updateCount", $$"""{"agentId":"{{id}}"}""")).GetInt32());
        Assert.Equal("terminated", (await Result(server, "stopAgent", $$"""{"agentId":"{{id}}"}""")).GetProperty("status").GetString());

        var received = await ReadEvents(events);
        Assert.Equal(["next", "next", "next", "complete"], received.Select(e => e.Name));
        var payloads = received.Take(3).Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("data").GetProperty("agentEvent")).ToArray();
        Assert.Equal(["countUpdated", "countUpdated", "agentStatusUpdated"], payloads.Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(1, payloads[0].GetProperty("data").GetProperty("count").GetInt32());
        Assert.Equal(2, payloads[1].GetProperty("data").GetProperty("count").GetInt32());
        Assert.Equal("terminated", payloads[2].GetProperty("data").GetProperty("status").GetString());
        Assert.True(DateTimeOffset.TryParse(payloads[0].GetProperty("timestamp").GetString(), out _));
    }

    [Fact]
    public async Task AgentEventSubscription_UnknownAgentOrWithoutEventStream_IsAClearError()
    {
        await using var server = await Start(Path.Combine(Path.GetTempPath(), "wafer-tests", "agents-" + Guid.NewGuid().ToString("N")[..12]));
        using var unknown = Subscribe("00000000000000000000");
        using var response = await server.Client.SendAsync(unknown, TestContext.Current.CancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        var received = await ReadEvents(reader);
        Assert.Equal(["next", "complete"], received.Select(e => e.Name));
        var error = JsonDocument.Parse(received[0].Data).RootElement.GetProperty("errors")[0];
        Assert.Equal("agent 00000000000000000000 does not exist", error.GetProperty("message").GetString());

        // Over GET too, as a browser's EventSource subscribes.
        using var get = new HttpRequestMessage(HttpMethod.Get,
            "/graphql?query=" + Uri.EscapeDataString("""subscription { agentEvent(agentId: "00000000000000000000") { name } }"""));
        get.Headers.Accept.ParseAdd("text/event-stream");
        using var viaGet = await server.Client.SendAsync(get, TestContext.Current.CancellationToken);
        using var getReader = new StreamReader(await viaGet.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["next", "complete"], (await ReadEvents(getReader)).Select(e => e.Name));

        var plain = await server.GraphQLAsync("""subscription { agentEvent(agentId: "x") { name } }""");
        Assert.Equal("subscription_needs_event_stream", plain.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    private static HttpRequestMessage Subscribe(string agentId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = JsonContent.Create(new { query = $$"""subscription { agentEvent(agentId: "{{agentId}}") { name data timestamp } }""" }),
        };
        request.Headers.Accept.ParseAdd("text/event-stream");
        return request;
    }

    /// <summary>Server-sent events until <c>complete</c> (or the stream ends), within a generous deadline.</summary>
    private static async Task<List<(string Name, string Data)>> ReadEvents(StreamReader reader)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = new List<(string, string)>();
        string? name = null;
        while (await reader.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && name is not null)
            {
                events.Add((name, line[6..]));
                if (name == "complete")
                {
                    break;
                }
            }
        }

        return events;
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
