using Wafer.Runtime.Tests.Capabilities.Support;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Capabilities;

/// <summary>The host_call boundary: routing, malformed requests, <c>config.get</c>, and guests misusing the imports.</summary>
public sealed class DispatchTests : IAsyncLifetime
{
    private CapabilityHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await CapabilityHarness.StartAsync(_ => { }, _ => """
            { "name": "hostcall", "config": { "greeting": "hello", "region": "eu-west-1" } }
            """);
        RuntimeServer.CopyGuest("hostcall-faults", _harness.Runtime.PluginsPath);
        await _harness.Runtime.Services.GetRequiredService<Wafer.Runtime.Catalog.PluginReloader>().ScanAsync();
    }

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task ConfigGet_DeclaredKey_ReturnsItsValue()
    {
        var reply = await _harness.CallAsync("config.get", new { key = "region" });
        Assert.Equal("eu-west-1", reply.Ok.GetProperty("value").GetString());
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("PATH")]
    [InlineData("HOME")]
    [InlineData("WAFER_TEST_POSTGRES")]
    public async Task ConfigGet_UndeclaredKey_IsNullAndNeverAHostVariable(string key)
    {
        var reply = await _harness.CallAsync("config.get", new { key });
        Assert.Equal(JsonValueKind.Null, reply.Ok.GetProperty("value").ValueKind);
    }

    [Theory]
    [InlineData("nope.op", "{}", "unknown host operation 'nope.op'; the host offers config.get, graphql.execute, http.fetch, models.invoke, sql.execute, sql.query")]
    [InlineData("config.get", "{not json", "config.get: the request is not valid JSON")]
    [InlineData("config.get", "[1]", "config.get: the request must be a JSON object")]
    [InlineData("config.get", "{} {}", "config.get: the request is not valid JSON")]
    [InlineData("config.get", "{\"key\":1}", "config.get: \"key\" must be a string")]
    [InlineData("config.get", "{}", "config.get: \"key\" is missing")]
    public async Task HostCall_BadOperationOrRequest_IsAFailureValueForTheGuest(string operation, string request, string expected)
    {
        var reply = await _harness.CallAsync(operation, request);
        Assert.Equal("guest_error", reply.Cause);
        Assert.StartsWith(expected, reply.Failure);
    }

    [Theory]
    [InlineData("badOperation", "wafer.host_call: range [4294967280, 4294967290) is outside guest memory")]
    [InlineData("badRequest", "wafer.host_call: range [65530, 65630) is outside guest memory")]
    [InlineData("badResponse", "wafer.host_response: range [65535, 65549) is outside guest memory")]
    [InlineData("noPending", "wafer.host_response: no response is pending (call wafer.host_call first)")]
    public async Task HostCall_BadGuestPointers_TrapWithAClearMessage(string function, string expected)
    {
        var (response, body) = await _harness.Runtime.PostJsonAsync($"/functions/hostcall-faults/{function}", "");
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("trap", body.GetProperty("cause").GetString());
        Assert.Contains(expected, body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task HostCall_EmptyOperationName_IsAFailureNotATrap()
    {
        var (_, body) = await _harness.Runtime.PostJsonAsync("/functions/hostcall-faults/emptyOperation", "");
        Assert.Equal("guest_error", body.GetProperty("cause").GetString());
        Assert.EndsWith("host_call: the operation name must be 1-64 bytes, got 0", body.GetProperty("detail").GetString());
    }
}
