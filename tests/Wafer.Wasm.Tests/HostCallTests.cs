using System.Text;
using Wafer.Protocol.Calls;
using Wafer.Wasm.Tests.Support;

namespace Wafer.Wasm.Tests;

/// <summary><c>wafer.host_call</c> / <c>wafer.host_response</c> (docs/abi.md §3.1) at the Wasmtime boundary.</summary>
public sealed class HostCallTests(HostFixture fixture)
{
    [Fact]
    public void HostCall_Success_GuestReadsTheResponse()
    {
        var context = new CapabilityContext(HostCallResult.Success("{\"value\":\"hi\"}"u8.ToArray()));
        var result = fixture.Module("hostcall").Invoke(0, "[\"config.get\",\"{\\\"key\\\":\\\"k\\\"}\"]"u8, context);

        Assert.Equal(CallStatus.Ok, result.Status);
        Assert.Equal("\"{\\\"value\\\":\\\"hi\\\"}\"", Encoding.UTF8.GetString(result.ResultJson!));
        Assert.Equal(("config.get", "{\"key\":\"k\"}"), context.Calls.Single());
    }

    [Fact]
    public void HostCall_Failure_GuestReadsTheErrorText()
    {
        var context = new CapabilityContext(HostCallResult.Failure("http.fetch: denied"));
        var result = fixture.Module("hostcall").Invoke(0, "[\"http.fetch\",\"{}\"]"u8, context);

        Assert.Equal(CallStatus.GuestError, result.Status);
        Assert.Equal("http.fetch: denied", result.Message);
    }

    [Fact]
    public void HostCall_ContextWithoutCapabilities_FailsWithoutTrapping()
    {
        var result = fixture.Module("hostcall").Invoke(0, "[\"http.fetch\",\"{}\"]"u8, RecordingContext.None);

        Assert.Equal(CallStatus.GuestError, result.Status);
        Assert.Equal("http.fetch: host capabilities are not available to this call", result.Message);
    }

    [Fact]
    public void HostCall_HostThrows_TrapsNamingTheOperation()
    {
        var result = fixture.Module("hostcall").Invoke(0, "[\"sql.query\",\"{}\"]"u8, new ThrowingContext());

        Assert.Equal(CallStatus.Trap, result.Status);
        Assert.Equal("wafer.host_call: the host failed to run sql.query: database on fire", result.Message);
    }

    [Theory]
    [InlineData(0, "wafer.host_call: range [4294967280, 4294967290) is outside guest memory")]
    [InlineData(1, "wafer.host_call: range [65530, 65630) is outside guest memory")]
    [InlineData(2, "wafer.host_response: range [65535, 65537) is outside guest memory")]
    [InlineData(3, "wafer.host_response: no response is pending (call wafer.host_call first)")]
    public void HostCall_BadPointers_Trap(int function, string expected)
    {
        var context = new CapabilityContext(HostCallResult.Success("{}"u8.ToArray()));
        var result = fixture.Module("hostcall-faults").Invoke(function, "[]"u8, context);

        Assert.Equal(CallStatus.Trap, result.Status);
        Assert.StartsWith(expected, result.Message);
    }

    private sealed class CapabilityContext(HostCallResult answer) : IGuestCallContext
    {
        public List<(string Operation, string Request)> Calls { get; } = [];

        public void Log(GuestLogLevel level, string message)
        {
        }

        public HostCallResult HostCall(string operation, ReadOnlySpan<byte> requestJson)
        {
            Calls.Add((operation, Encoding.UTF8.GetString(requestJson)));
            return answer;
        }
    }

    private sealed class ThrowingContext : IGuestCallContext
    {
        public void Log(GuestLogLevel level, string message)
        {
        }

        public HostCallResult HostCall(string operation, ReadOnlySpan<byte> requestJson) => throw new InvalidOperationException("database on fire");
    }
}
