using System.Text;
using Wafer.Runtime.Handlers;

namespace Wafer.Runtime.Tests.Handlers;

/// <summary>Reading a handler's stdout as a CGI response (RFC 3875 §6).</summary>
public sealed class CgiResponseTests
{
    private static (CgiResponse? Response, string? Error, byte[] Output) Parse(string output)
    {
        var bytes = Encoding.UTF8.GetBytes(output);
        return (CgiResponse.Parse(bytes, out var error), error, bytes);
    }

    [Fact]
    public void ContentTypeAndBody_Are200()
    {
        var (response, _, output) = Parse("Content-Type: text/plain\n\nhello\n");

        Assert.Equal(200, response!.Status);
        Assert.Equal([new("Content-Type", "text/plain")], response.Headers);
        Assert.Equal("hello\n", Encoding.UTF8.GetString(output.AsSpan(response.BodyOffset)));
    }

    [Fact]
    public void StatusLine_SetsTheCodeAndIsNotPassedOn()
    {
        var (response, _, _) = Parse("Status: 418 I'm a teapot\r\nContent-Type: text/plain\r\nX-A: 1\r\nX-A: 2\r\n\r\n");

        Assert.Equal(418, response!.Status);
        Assert.Equal(["Content-Type", "X-A", "X-A"], response.Headers.Select(h => h.Key));
    }

    [Fact]
    public void LocationAlone_IsARedirect()
    {
        var (response, _, _) = Parse("Location: https://example.com/\n\n");

        Assert.Equal(302, response!.Status);
    }

    [Fact]
    public void HopByHopHeaders_AreDropped()
    {
        var (response, _, _) = Parse("Content-Type: a/b\nContent-Length: 999\nTransfer-Encoding: chunked\nConnection: close\n\nx");

        Assert.Equal(["Content-Type"], response!.Headers.Select(h => h.Key));
    }

    [Fact]
    public void HeadersWaferOwns_AreDropped_OthersKept()
    {
        var (response, _, _) = Parse(
            "Content-Type: text/plain\nX-Wafer-Runtime: forged\nX-Wafer-Call-Id: forged\nx-wafer-anything: forged\nServer: forged/1\nDate: Thu, 01 Jan 1970 00:00:00 GMT\nX-Waferish: kept\n\nbody");

        Assert.Equal(["Content-Type", "X-Waferish"], response!.Headers.Select(h => h.Key));
    }

    [Theory]
    [InlineData("Status: 204 No Content\n\n", 204)]
    [InlineData("Status: 304 Not Modified\nETag: \"a\"\n\n", 304)]
    public void BodilessStatus_WithoutBody_IsAccepted(string output, int status)
    {
        var (response, error, bytes) = Parse(output);

        Assert.Null(error);
        Assert.Equal(status, response!.Status);
        Assert.Equal(bytes.Length, response.BodyOffset);
    }

    [Fact]
    public void BinaryBody_IsKeptAsIs()
    {
        byte[] output = [.. "Content-Type: application/octet-stream\n\n"u8, 0, 255, 10, 13, 10];

        var response = CgiResponse.Parse(output, out _);

        Assert.Equal(new byte[] { 0, 255, 10, 13, 10 }, output[response!.BodyOffset..]);
    }

    [Theory]
    [InlineData("", "the handler wrote nothing to stdout")]
    [InlineData("Content-Type: text/plain\n", "the handler's output has no blank line after its headers")]
    [InlineData("hello world\n\n", "the handler's output line 1 is not a header ('Name: value'): 'hello world'")]
    [InlineData("X-Only: 1\n\n", "the handler's headers must include Content-Type, Location or Status")]
    [InlineData("Status: abc\n\n", "the handler's Status header must start with a code from 200 to 599, got 'abc'")]
    [InlineData("Status: 99\n\n", "the handler's Status header must start with a code from 200 to 599, got '99'")]
    [InlineData("Status: 600\n\n", "the handler's Status header must start with a code from 200 to 599, got '600'")]
    [InlineData("Status: 2000 Big\n\n", "the handler's Status header must start with a code from 200 to 599, got '2000 Big'")]
    [InlineData("Status: +20\n\n", "the handler's Status header must start with a code from 200 to 599, got '+20'")]
    [InlineData("Status: 20x\n\n", "the handler's Status header must start with a code from 200 to 599, got '20x'")]
    [InlineData("Status: \n\n", "the handler's Status header must start with a code from 200 to 599, got ''")]
    [InlineData("Status: 101 Switching Protocols\nUpgrade: websocket\n\n", "the handler answered Status 101, an informational status")]
    [InlineData("Status: 100 Continue\n\n", "the handler answered Status 100, an informational status")]
    [InlineData("Status: 204 No Content\n\nbody", "the handler answered Status 204 with a 4-byte body; a 204 response has no body")]
    [InlineData("Status: 304 Not Modified\n\nstale", "the handler answered Status 304 with a 5-byte body; a 304 response has no body")]
    [InlineData("Status: 205\n\nx", "the handler answered Status 205 with a 1-byte body")]
    [InlineData("Bad Name: x\nContent-Type: a/b\n\n", "the handler's output line 1 is not a header")]
    [InlineData("Content-Type: a\u0001b\n\n", "the handler's header 'Content-Type' holds control characters")]
    public void MalformedOutput_SaysWhatIsWrong(string output, string expected)
    {
        var (response, error, _) = Parse(output);

        Assert.Null(response);
        Assert.StartsWith(expected, error);
    }
}
