using System.Net;
using System.Text;
using Wafer.Protocol.Routes;
using Wafer.Tests.Shared;

namespace Wafer.Gateway.Tests;

/// <summary>
/// Function calls sent over the call protocol to a runtime's h2c port (Forwarding/CallChannel): answered with the
/// runtime's headers, many calls on one connection, a new connection after the runtime's goodbye, a lost connection
/// failing only the calls it carried, a call turned away unrun sent to another replica, and bodies too large for it
/// sent over HTTP. Runtimes that do not speak it are in H2cTests (their calls go over HTTP).
/// </summary>
public sealed class CallProtocolTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static void Publish(GatewayHost gateway, params (StubRuntime Http, CallProtocolStub Calls)[] replicas) =>
        gateway.Routes.Publish(new RouteDocument(1,
            [new DeploymentRoutes("web", "web:greet", GatewayHost.Metadata(["greet"]), [],
                [.. replicas.Select((r, i) => new ReplicaAddress($"web-rt-{i}", $"rt-{i}", r.Http.Url, r.Calls.Url))])]));

    private static async Task<string> MetricsAsync(GatewayHost gateway) => await gateway.Client.GetStringAsync("/metrics");

    [Fact]
    public async Task Function_AnsweredOverTheCallProtocol_WithTheRuntimesHeaders_OneConnection()
    {
        await using var http = await StubRuntime.StartAsync("a");
        await using var calls = CallProtocolStub.Start(c => new CallProtocolStub.Reply(Body: $$"""{"result":"{{c.Plugin}}/{{c.Function}}"}""", CallId: "c-7"));
        await using var gateway = await GatewayHost.StartAsync();
        Publish(gateway, (http, calls));

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using var response = await gateway.Client.PostAsync("/functions/greet", Json($$"""{"name":"{{i}}"}"""));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType,
                CallId: response.Headers.GetValues("X-Wafer-Call-Id").Single(), Runtime: response.Headers.GetValues("X-Wafer-Runtime").Single());
        }));

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, """{"result":"web/greet"}""", "application/json", "c-7", "rt-0"), a));
        Assert.Equal((20, 1, 0), (calls.Calls, calls.Connections, http.Requests));
        Assert.Matches("""^\{"name":"\d+"\}$""", calls.LastCall!.Body);
        Assert.Contains("wafer_gateway_calls_sent_total{transport=\"call\"} 20", await MetricsAsync(gateway), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GatewayWithTheFleetToken_ProvesItselfOnTheCallPort()
    {
        await using var http = await StubRuntime.StartAsync("a");
        await using var calls = CallProtocolStub.Start(key: Wafer.Protocol.Security.FleetKeys.CallPort("fleet-token"));
        await using var gateway = await GatewayHost.StartAsync(token: "fleet-token");
        Publish(gateway, (http, calls));

        using var response = await gateway.Client.PostAsync("/functions/greet", Json("{}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((1, 0, 0), (calls.Calls, calls.Refused, http.Requests));
    }

    [Fact]
    public async Task GatewayWithAnotherToken_Refused_CallRunsNowhere()
    {
        await using var http = await StubRuntime.StartAsync("a");
        await using var calls = CallProtocolStub.Start(key: Wafer.Protocol.Security.FleetKeys.CallPort("fleet-token"));
        await using var gateway = await GatewayHost.StartAsync(token: "another-token");
        Publish(gateway, (http, calls));

        using var response = await gateway.Client.PostAsync("/functions/greet", Json("{}"));

        // A gateway the call port refuses must not reach the runtime another way: no fallback to HTTP.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("no_replica", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Eventually.TrueAsync(() => calls.Refused == 1, "the stub counted its refusal (after writing the verdict)");
        Assert.Equal((0, 1, 0), (calls.Calls, calls.Refused, http.Requests));
    }

    [Fact]
    public async Task RuntimeSaysGoodbye_NextCallsOnANewConnection_NoneFail()
    {
        await using var http = await StubRuntime.StartAsync("a");
        await using var calls = CallProtocolStub.Start(_ => new CallProtocolStub.Reply(GoAway: true));
        await using var gateway = await GatewayHost.StartAsync();
        Publish(gateway, (http, calls));

        for (var i = 0; i < 3; i++)
        {
            using var response = await gateway.Client.PostAsync("/functions/greet", Json("""{"name":"x"}"""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal((3, 3, 0), (calls.Calls, calls.Connections, http.Requests));
    }

    [Fact]
    public async Task ConnectionLostWithACallInFlight_502_NotSentElsewhere()
    {
        await using var http0 = await StubRuntime.StartAsync("a");
        await using var http1 = await StubRuntime.StartAsync("b");
        await using var calls0 = CallProtocolStub.Start(_ => new CallProtocolStub.Reply(Drop: true));
        await using var calls1 = CallProtocolStub.Start(_ => new CallProtocolStub.Reply(Drop: true));
        await using var gateway = await GatewayHost.StartAsync();
        Publish(gateway, (http0, calls0), (http1, calls1));

        using var response = await gateway.Client.PostAsync("/functions/greet", Json("""{"name":"x"}"""));
        var problem = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("call connection", problem, StringComparison.Ordinal);
        Assert.Contains("before answering", problem, StringComparison.Ordinal);
        Assert.Equal(1, calls0.Calls + calls1.Calls); // it may have run: not sent again
        Assert.Equal(0, http0.Requests + http1.Requests);
        Assert.Single(gateway.Destinations.All, d => !d.IsHealthy(gateway.Now)); // put aside
    }

    [Fact]
    public async Task BrokenAnswer_502AtOnce_NotSentElsewhere()
    {
        await using var http = await StubRuntime.StartAsync("a");
        await using var calls = CallProtocolStub.Start(_ => new CallProtocolStub.Reply(Broken: true));
        await using var gateway = await GatewayHost.StartAsync();
        Publish(gateway, (http, calls));

        using var response = await gateway.Client.PostAsync("/functions/greet", Json("""{"name":"x"}"""));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode); // not left waiting for the 2-minute timeout
        Assert.Contains("the call connection broke before answering: an answer frame without a status", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((1, 0), (calls.Calls, http.Requests));
    }

    [Fact]
    public async Task CallTurnedAwayUnrun_SentToAnotherReplica()
    {
        await using var http0 = await StubRuntime.StartAsync("a");
        await using var http1 = await StubRuntime.StartAsync("b");
        await using var turning = CallProtocolStub.Start(_ => new CallProtocolStub.Reply(503, """{"cause":"unavailable"}""", CallId: null));
        await using var serving = CallProtocolStub.Start();
        await using var gateway = await GatewayHost.StartAsync();
        Publish(gateway, (http0, turning), (http1, serving));

        for (var i = 0; i < 4; i++)
        {
            using var response = await gateway.Client.PostAsync("/functions/greet", Json("""{"name":"x"}"""));
            Assert.Equal((HttpStatusCode.OK, "rt-1"), (response.StatusCode, response.Headers.GetValues("X-Wafer-Runtime").Single()));
        }

        Assert.Equal(4, serving.Calls);
        Assert.InRange(turning.Calls, 1, 4);
        Assert.Contains("wafer_gateway_retries_total{deployment=\"web\",reason=\"turned_away\"}", await MetricsAsync(gateway), StringComparison.Ordinal);
    }

    /// <summary>
    /// Over the call protocol the answer's cause decides, not its HTTP status: a call whose cause says it ran is passed
    /// on even with a 404 or 503 (it may have had effects: never run twice), and one whose cause says it did not run goes
    /// to the next replica whatever its status. A real runtime pairs each cause with its own status, and a function's
    /// result is always 200 (handler routes, where a guest picks its status, are never sent twice), so the stub sends
    /// the pairs no runtime of this version sends, as a newer one may.
    /// </summary>
    [Theory]
    [InlineData(503, "guest_error", false)]
    [InlineData(404, "trap", false)]
    [InlineData(503, "result_too_large", false)]
    [InlineData(500, "busy", true)]
    public async Task AnswerJudgedByItsCause_NotItsStatus(int status, string cause, bool sentElsewhere)
    {
        await using var http0 = await StubRuntime.StartAsync("a");
        await using var http1 = await StubRuntime.StartAsync("b");
        await using var first = CallProtocolStub.Start(_ => new CallProtocolStub.Reply(status, $$"""{"cause":"{{cause}}"}""", CallId: null));
        await using var serving = CallProtocolStub.Start();
        await using var gateway = await GatewayHost.StartAsync();
        Publish(gateway, (http0, first), (http1, serving));

        var answers = new List<(HttpStatusCode, string)>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await gateway.Client.PostAsync("/functions/greet", Json("""{"name":"x"}"""));
            answers.Add((response.StatusCode, response.Headers.GetValues("X-Wafer-Runtime").Single()));
        }

        Assert.InRange(first.Calls, 1, 4); // the replicas take turns: some calls went to the first
        if (sentElsewhere)
        {
            Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, "rt-1"), a));
            Assert.Equal(4, serving.Calls);
        }
        else
        {
            Assert.Equal(first.Calls, answers.Count(a => a == ((HttpStatusCode)status, "rt-0"))); // each passed on as it came
            Assert.Equal(4 - first.Calls, serving.Calls); // none sent again
        }
    }

    [Fact]
    public async Task AnswerOfSeveralMegabytes_PassedOnWhole_ConnectionStillServes()
    {
        var large = $$"""{"result":"{{new string('y', 3 * 1024 * 1024)}}"}""";
        await using var http = await StubRuntime.StartAsync("a");
        await using var calls = CallProtocolStub.Start(c => new CallProtocolStub.Reply(Body: c.Body.Contains("large", StringComparison.Ordinal) ? large : """{"result":"small"}"""));
        await using var gateway = await GatewayHost.StartAsync();
        Publish(gateway, (http, calls));

        using var first = await gateway.Client.PostAsync("/functions/greet", Json("""{"name":"large"}"""));
        using var second = await gateway.Client.PostAsync("/functions/greet", Json("""{"name":"x"}"""));

        Assert.Equal(large, await first.Content.ReadAsStringAsync());
        Assert.Equal("""{"result":"small"}""", await second.Content.ReadAsStringAsync());
        Assert.Equal((2, 1), (calls.Calls, calls.Connections));
    }

    [Fact]
    public async Task BodyUpToTheResendableSize_OverTheCallProtocol_LargerOverHttp()
    {
        await using var http = await StubRuntime.StartAsync("a");
        await using var calls = CallProtocolStub.Start();
        await using var gateway = await GatewayHost.StartAsync();
        Publish(gateway, (http, calls));
        string Body(int bytes) => $$"""{"name":"{{new string('x', bytes - 11)}}"}""";

        using var fits = await gateway.Client.PostAsync("/functions/greet", Json(Body(Forwarding.FunctionCall.ResendableBodyBytes)));
        Assert.Equal((HttpStatusCode.OK, 1, Body(Forwarding.FunctionCall.ResendableBodyBytes)), (fits.StatusCode, calls.Calls, calls.LastCall!.Body));

        using var larger = await gateway.Client.PostAsync("/functions/greet", Json(Body(Forwarding.FunctionCall.ResendableBodyBytes + 1)));
        Assert.Equal((HttpStatusCode.OK, 1, 1, Body(Forwarding.FunctionCall.ResendableBodyBytes + 1)), (larger.StatusCode, calls.Calls, http.Requests, http.LastBody));
    }

    [Fact]
    public async Task GraphQLField_ResolvedOverTheCallProtocol()
    {
        await using var http = await StubRuntime.StartAsync("a");
        await using var calls = CallProtocolStub.Start(c => new CallProtocolStub.Reply(Body: $$"""{"result":{{JsonSerializer.Serialize(c.Body)}}}"""));
        await using var gateway = await GatewayHost.StartAsync();
        Publish(gateway, (http, calls));

        using var response = await gateway.Client.PostAsync("/graphql", Json("""{"query":"{ greet(name: \"Ada\") }"}"""));

        Assert.Equal("""{"data":{"greet":"{\"name\":\"Ada\"}"}}""", await response.Content.ReadAsStringAsync());
        Assert.Equal((1, 0), (calls.Calls, http.Requests));
    }

    [Fact]
    public async Task GraphQLField_ArgumentsLargerThanACallFrame_GoOverHttp_TheConnectionKeepsServing()
    {
        await using var http = await StubRuntime.StartAsync("a");
        await using var calls = CallProtocolStub.Start();
        await using var gateway = await GatewayHost.StartAsync();
        Publish(gateway, (http, calls));
        var name = new string('n', 1024 * 1024);

        // in a variable: the query text itself is held to GraphQL.MaxQueryLength
        using var large = await gateway.Client.PostAsync("/graphql", Json($$$"""{"query":"query($n: String!) { greet(name: $n) }","variables":{"n":"{{{name}}}"}}"""));
        using var small = await gateway.Client.PostAsync("/graphql", Json("""{"query":"{ greet(name: \"x\") }"}"""));

        var largeBody = await large.Content.ReadAsStringAsync();
        Assert.True(largeBody == """{"data":{"greet":"a:/functions/web/greet"}}""", largeBody[..Math.Min(400, largeBody.Length)]);
        Assert.Equal($$"""{"name":"{{name}}"}""", http.LastBody);
        Assert.Equal("""{"data":{"greet":"stub"}}""", await small.Content.ReadAsStringAsync());
        Assert.Equal((1, 1, 1), (http.Requests, calls.Calls, calls.Connections));
    }
}
