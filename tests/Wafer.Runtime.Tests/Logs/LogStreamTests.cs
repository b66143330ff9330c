using System.Net;
using Wafer.Runtime.Logs;
using Wafer.Runtime.Storage;
using Wafer.Runtime.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Logs;

/// <summary>
/// <c>GET /api/logs/stream</c>: the live call log as server-sent events, and the tail behind it, where a reader that
/// does not keep up loses only its own oldest lines.
/// </summary>
public sealed class LogStreamTests
{
    [Fact]
    public async Task Stream_SendsTheMatchingLinesOfACallMadeWhileReading()
    {
        await using var server = await RuntimeServer.StartAsync(["hello"]);
        await Eventually.TrueAsync(() => server.Catalog.Current.PluginsByName.ContainsKey("hello"), "hello to load", TimeSpan.FromSeconds(30));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        using var response = await server.Client.GetAsync("/api/logs/stream?function=hello/logAll", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        Assert.Equal(": live call log", await reader.ReadLineAsync(timeout.Token)); // subscribed: later lines reach this reader

        var (call, _) = await server.PostJsonAsync("/functions/hello/logAll", """{"message":"streamed"}""");
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        var callId = call.Headers.GetValues("X-Wafer-Call-Id").Single();

        var lines = new List<JsonElement>();
        while (lines.Count < 4 && await reader.ReadLineAsync(timeout.Token) is { } text)
        {
            if (text.StartsWith("data: ", StringComparison.Ordinal))
            {
                lines.Add(JsonDocument.Parse(text["data: ".Length..]).RootElement.Clone());
            }
        }

        Assert.Equal(["debug: streamed", "info: streamed", "warn: streamed", "error: streamed"], lines.Select(l => l.GetProperty("message").GetString()));
        Assert.All(lines, l => Assert.Equal(callId, l.GetProperty("callId").GetString()));
        Assert.All(lines, l => Assert.Equal("logAll", l.GetProperty("function").GetString()));
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task Stream_EndsWhenTheServerStops_WithoutHoldingUpTheShutdown()
    {
        var server = await RuntimeServer.StartAsync([]);
        using var client = new HttpClient { BaseAddress = server.Client.BaseAddress }; // a client of its own, which the server's disposal leaves open
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await client.GetAsync("/api/logs/stream", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        Assert.Equal(": live call log", await reader.ReadLineAsync(timeout.Token));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await server.DisposeAsync();

        // the host waits up to 30 s for requests still running; a stream that only ended with its client would take all of it
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {clock.Elapsed.TotalSeconds:0.0} s");
        try
        {
            while (await reader.ReadLineAsync(timeout.Token) is not null)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            // the connection closed mid-read: ended all the same
        }
    }

    [Fact]
    public void SlowReader_LosesOnlyItsOwnOldestLines()
    {
        var tail = new CallLogTail();
        using var stalled = tail.Subscribe(new CallLogFilter(null, null, null))!;
        using var reading = tail.Subscribe(new CallLogFilter(null, null, null))!;
        var received = new List<long>();

        for (var i = 0; i < 3000; i++)
        {
            tail.Publish(Line(i, "p", "f", "c"));
            while (reading.Lines.TryRead(out var line))
            {
                received.Add(line.Id);
            }
        }

        Assert.Equal(Enumerable.Range(0, 3000).Select(i => (long)i), received);
        Assert.Equal(0, reading.TakeDropped());
        Assert.Equal(3000 - CallLogTail.ReaderCapacity, stalled.TakeDropped());
        Assert.Equal(0, stalled.TakeDropped()); // counted once
        var kept = new List<long>();
        while (stalled.Lines.TryRead(out var line))
        {
            kept.Add(line.Id);
        }

        Assert.Equal(Enumerable.Range(3000 - CallLogTail.ReaderCapacity, CallLogTail.ReaderCapacity).Select(i => (long)i), kept); // the newest
    }

    [Fact]
    public void Readers_AreBounded_AndALeavingReaderMakesRoom()
    {
        var tail = new CallLogTail();
        var readers = Enumerable.Range(0, CallLogTail.MaxReaders).Select(_ => tail.Subscribe(new CallLogFilter(null, null, null))).ToList();
        Assert.All(readers, Assert.NotNull);

        Assert.Null(tail.Subscribe(new CallLogFilter(null, null, null)));

        readers[0]!.Dispose();
        Assert.Equal(CallLogTail.MaxReaders - 1, tail.ReaderCount);
        using var another = tail.Subscribe(new CallLogFilter(null, null, null));
        Assert.NotNull(another);
        readers.Skip(1).ToList().ForEach(r => r!.Dispose());
    }

    [Theory]
    [InlineData(null, null, "c1", true)]
    [InlineData(null, null, "c2", false)]
    [InlineData("p", null, null, true)]
    [InlineData("P", null, null, false)]
    [InlineData(null, "f", null, true)]
    [InlineData(null, "p/f", null, true)]
    [InlineData(null, "q/f", null, false)]
    [InlineData("q", "p/f", null, false)]
    [InlineData("p", "p/f", "c1", true)]
    public void Filter_MatchesLikeTheLogQuery(string? plugin, string? function, string? callId, bool matches) =>
        Assert.Equal(matches, new CallLogFilter(plugin, function, callId).Matches(Line(1, "p", "f", "c1")));

    private static CallLogRecord Line(long id, string plugin, string function, string callId) =>
        new(id, DateTimeOffset.UnixEpoch, callId, plugin, function, "info", "line " + id);
}
