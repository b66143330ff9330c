using System.Buffers;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Wafer.Hosting.Http;
using Wafer.Protocol.Calls;

namespace Wafer.Runtime.Tests.Http;

/// <summary>
/// A call's problem is the same whichever transport answers it: what the call protocol writes without an HTTP
/// context (<see cref="CallProblem.WriteJson"/>) is, byte for byte, what a server's problem writer answers over HTTP
/// (<see cref="Problems.Of"/>), for every cause, with its status and content type.
/// </summary>
public sealed class CallProblemWritingTests
{
    private static IEnumerable<CallProblem> Samples()
    {
        foreach (var status in CallStatuses.Failures)
        {
            yield return new CallProblem(status, $"échec <{status}> & \"quoted\" + more");
            yield return new CallProblem(status, "with the function", "plugin/fn");
            yield return new CallProblem(status, "ran", "plugin/fn", "67d0dd-2a", 12.345);
        }

        yield return CallProblem.Of(new CallOutcome("c-7", CallStatus.Trap, null, "unreachable", TimeSpan.FromTicks(123_456_7)), "echo/echo");
        yield return CallProblem.Of(CallRefusals.Stopping());
        yield return CallProblem.Of(CallRefusals.TooLarge(1024));
        yield return CallProblem.Of(CallRefusals.ResultTooLarge(70_000_000, 64 * 1024 * 1024 - 1024), "big/result");
        yield return CallProblem.Of(CallRefusals.Busy("no execution slot came free (--queueTimeout)"), "echo/echo");
    }

    [Fact]
    public async Task EveryCause_CallProtocolBytes_SameAsHttpAnswer()
    {
        var samples = Samples().ToArray();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddWaferProblems();
        await using var app = builder.Build();
        app.UseWaferProblems();
        app.MapGet("/problem/{index:int}", (int index) => Problems.Of(samples[index]));
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };

        for (var i = 0; i < samples.Length; i++)
        {
            var problem = samples[i];
            using var response = await http.GetAsync($"/problem/{i}");
            var overHttp = await response.Content.ReadAsByteArrayAsync();
            var direct = new ArrayBufferWriter<byte>();
            problem.WriteJson(direct);

            Assert.Equal(problem.Status.HttpStatus(), (int)response.StatusCode);
            Assert.Equal(problem.HttpStatus, (int)response.StatusCode);
            Assert.Equal(CallProblem.ContentType, response.Content.Headers.ContentType?.ToString());
            Assert.Equal(System.Text.Encoding.UTF8.GetString(overHttp), System.Text.Encoding.UTF8.GetString(direct.WrittenSpan));
            Assert.Equal(problem.RetryAfterSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.RetryAfter?.ToString());
        }
    }

    [Fact]
    public void Failed_NamesTheCauseFunctionCallAndDuration()
    {
        var problem = CallProblem.Of(new CallOutcome("c-7", CallStatus.Timeout, null, "over 100 ms", TimeSpan.FromMilliseconds(100.0004)), "echo/echo");
        var written = new ArrayBufferWriter<byte>();
        problem.WriteJson(written);
        using var json = JsonDocument.Parse(written.WrittenMemory);
        var root = json.RootElement;

        Assert.Equal(
            ("urn:wafer:problem:timeout", "Guest timed out", 504, "echo/echo failed: timeout: over 100 ms", "timeout", "echo/echo", "c-7", 100.0),
            (root.GetProperty("type").GetString(), root.GetProperty("title").GetString(), root.GetProperty("status").GetInt32(),
                root.GetProperty("detail").GetString(), root.GetProperty("cause").GetString(), root.GetProperty("function").GetString(),
                root.GetProperty("callId").GetString(), root.GetProperty("durationMs").GetDouble()));
        Assert.Equal(HttpStatusCode.GatewayTimeout, (HttpStatusCode)problem.HttpStatus);
    }

    [Fact]
    public void Refusals_DetailIsTheirMessage_OnlyBusyAsksToRetryAfter()
    {
        var busy = CallProblem.Of(CallRefusals.Busy("all slots taken (--maxConcurrentCalls)"), "echo/echo");
        var unavailable = CallProblem.Of(CallRefusals.Unavailable("echo/echo"), "echo/echo");
        var notFound = CallProblem.Of(CallRefusals.NotFound("no function named nope"));

        Assert.Equal((CallStatus.Busy, "all slots taken (--maxConcurrentCalls)", "echo/echo", (string?)null, 1), (busy.Status, busy.Detail, busy.Function, busy.CallId, busy.RetryAfterSeconds));
        Assert.Equal((CallStatus.Unavailable, "echo/echo was unloaded during the call; retry", (int?)null), (unavailable.Status, unavailable.Detail, unavailable.RetryAfterSeconds));
        Assert.Equal((CallStatus.NotFound, "no function named nope", (string?)null, 404), (notFound.Status, notFound.Detail, notFound.Function, notFound.HttpStatus));
    }

    [Fact]
    public void Success_HasNoProblem()
    {
        var error = Assert.Throws<ArgumentException>(() => CallProblem.Of(new CallOutcome(CallStatus.Ok, "1"u8.ToArray(), null)));
        Assert.Contains("succeeded", error.Message);
    }
}
