using Wafer.Protocol.Calls;
using Wafer.Wasm.Tests.Support;

namespace Wafer.Wasm.Tests;

/// <summary>
/// Guest text is cut with a marker, and once a call's context takes no more log lines the host stops reading them
/// from guest memory (the log-flood guest logs 200,000 lines and 238,000 traces).
/// </summary>
public sealed class GuestTextTests(HostFixture fixture)
{
    [Theory]
    [InlineData("short", 10, "short")]
    [InlineData("0123456789abc", 10, "0123456789… [truncated: 3 more bytes]")]
    [InlineData("ééééé", 5, "éé… [truncated: 6 more bytes]")] // never half a character: 2 bytes each
    [InlineData("☃☃☃", 4, "☃… [truncated: 6 more bytes]")]
    public void Cut_KeepsWholeCharactersAndSaysHowMuchIsLeft(string text, int maxBytes, string expected)
    {
        Assert.Equal(expected, GuestText.Cut(text, maxBytes));
        Assert.Equal(expected, GuestText.Utf8(System.Text.Encoding.UTF8.GetBytes(text), maxBytes));
    }

    [Theory]
    [InlineData(0, 32)] // flood: wafer.log, 32 bytes a line
    [InlineData(4, 10)] // traceFlood: env.trace of "trace", 10 bytes of UTF-16
    public void FullContext_GetsNoMoreLines_OnlyTheirCount(int function, int bytesPerLine)
    {
        var context = new LimitedContext(3);

        var result = fixture.Module("log-flood").Invoke(function, "[]"u8, context);

        Assert.Equal(CallStatus.Ok, result.Status);
        Assert.Equal(3, context.Lines.Count);
        var total = function == 0 ? 200_000 : 238_000;
        Assert.Equal(total - 3, context.DroppedLines);
        Assert.Equal((long)(total - 3) * bytesPerLine, context.DroppedBytes);
    }

    /// <summary>Takes <paramref name="capacity"/> lines, then refuses the rest.</summary>
    private sealed class LimitedContext(int capacity) : IGuestCallContext
    {
        public List<string> Lines { get; } = [];

        public long DroppedLines { get; private set; }

        public long DroppedBytes { get; private set; }

        public bool AcceptsLog => Lines.Count < capacity;

        public void Log(GuestLogLevel level, string message) => Lines.Add(message);

        public void LogDropped(long bytes)
        {
            DroppedLines++;
            DroppedBytes += bytes;
        }
    }
}
