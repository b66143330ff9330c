using System.Buffers;
using Wafer.Protocol.Calls;

namespace Wafer.Protocol.Tests;

/// <summary>
/// The content type of an answer frame: the two every answer carries read back as the same strings, any other read as
/// written, and a frame cut short inside it still broken.
/// </summary>
public sealed class AnswerContentTypeTests
{
    private static (string ContentType, string Body) RoundTrip(string contentType)
    {
        var written = new ArrayBufferWriter<byte>();
        CallFrames.WriteAnswerHead(written, 5, CallStatus.Ok, "c-1", contentType, 2);
        written.Write("{}"u8);
        var buffer = new ReadOnlySequence<byte>(written.WrittenMemory);
        Assert.True(CallFrames.TryRead(ref buffer, CallFrames.MaxFrameBytes, out _, out var payload));
        var answer = CallFrames.ReadAnswer(payload);
        return (answer.ContentType, System.Text.Encoding.UTF8.GetString(answer.Body.ToArray()));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/problem+json")]
    public void KnownContentType_TheSameStringEachTime(string contentType)
    {
        var (first, body) = RoundTrip(contentType);
        var (second, _) = RoundTrip(contentType);

        Assert.Equal((contentType, "{}"), (first, body));
        Assert.Same(first, second);
    }

    [Theory]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("application/jsonx")]
    [InlineData("application/jso")]
    [InlineData("")]
    public void OtherContentType_ReadAsWritten_BodyAfterIt(string contentType)
    {
        Assert.Equal((contentType, "{}"), RoundTrip(contentType));
    }

    [Fact]
    public void FrameCutInsideTheContentType_IsBroken()
    {
        var written = new ArrayBufferWriter<byte>();
        CallFrames.WriteAnswerHead(written, 5, CallStatus.Ok, null, "application/json", 0);
        var payload = new ReadOnlySequence<byte>(written.WrittenMemory[CallFrames.HeaderBytes..^4]); // the type's last 4 bytes gone

        var error = Assert.Throws<InvalidDataException>(() => CallFrames.ReadAnswer(payload));
        Assert.Contains("cut short inside a string", error.Message, StringComparison.Ordinal);
    }
}
