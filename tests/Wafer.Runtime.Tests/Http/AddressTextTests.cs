using Wafer.Hosting.Http;

namespace Wafer.Runtime.Tests.Http;

/// <summary>Addresses hidden from texts a caller without the token reads (reasons, public transport errors).</summary>
public sealed class AddressTextTests
{
    [Theory]
    [InlineData("download failed: GET http://10.0.0.5:8680/api/artifacts/ab answered 500", "download failed: GET [address hidden] answered 500")]
    [InlineData("connecting to 10.0.0.5:8686: Connection refused (10.0.0.5:8686)", "connecting to [address hidden]: Connection refused ([address hidden])")]
    [InlineData("Name or service not known (runtime-3.fleet.internal:8686)", "Name or service not known ([address hidden])")]
    [InlineData("connecting to [fd00::5]:8687: reset", "connecting to [address hidden]: reset")]
    [InlineData("connecting to localhost:8686 failed", "connecting to [address hidden] failed")]
    [InlineData("host 192.168.1.20 is down", "host [address hidden] is down")]
    [InlineData("no runtime is online; 2 replica(s) loading", "no runtime is online; 2 replica(s) loading")]
    [InlineData("timed out after 300 ms: ResponseBodyDestination", "timed out after 300 ms: ResponseBodyDestination")]
    public void Hide_ReplacesEveryAddress_AndNothingElse(string text, string expected) =>
        Assert.Equal(expected, AddressText.Hide(text));
}
