using Wafer.Hosting;

namespace Wafer.Runtime.Tests.Hosting;

/// <summary>The start rule every server shares: no set-up on loopback; beyond it a token or an explicit --insecure.</summary>
public sealed class ExposureRuleTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.1.2.3", true)]
    [InlineData("localhost", true)]
    [InlineData("LOCALHOST", true)]
    [InlineData("::1", true)]
    [InlineData("[::1]", true)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::", false)]
    [InlineData("[::]", false)]
    [InlineData("*", false)]
    [InlineData("+", false)]
    [InlineData("192.168.1.10", false)]
    [InlineData("example.com", false)]
    public void IsLoopback_OnlyForAddressesOfThisMachineAlone(string host, bool expected) =>
        Assert.Equal(expected, Exposure.IsLoopback(host));

    [Fact]
    public void Refusal_BeyondLoopbackWithoutToken_NamesTheFlagsThatFixIt()
    {
        Assert.Equal(
            "the gateway would listen on 0.0.0.0 (--host), beyond loopback, with no token: anyone who reaches the port could deploy, stop and run code. " +
            "Set a token (--token or WAFER_TOKEN), bind 127.0.0.1, or pass --insecure to accept the risk",
            Exposure.Refusal("the gateway", "0.0.0.0", "--host", token: null, insecure: false));
        Assert.Null(Exposure.Refusal("the gateway", "0.0.0.0", "--host", token: "t", insecure: false));
        Assert.Null(Exposure.Refusal("the gateway", "0.0.0.0", "--host", token: null, insecure: true));
        Assert.Null(Exposure.Refusal("the gateway", "127.0.0.1", "--host", token: null, insecure: false));
        Assert.NotNull(Exposure.Refusal("the gateway", "0.0.0.0", "--host", token: "", insecure: false));
    }

    [Fact]
    public void IsInsecure_OnlyWhenInsecureActuallyOpensSomething()
    {
        Assert.True(Exposure.IsInsecure("0.0.0.0", null, insecure: true));
        Assert.False(Exposure.IsInsecure("0.0.0.0", "t", insecure: true));
        Assert.False(Exposure.IsInsecure("127.0.0.1", null, insecure: true));
        Assert.False(Exposure.IsInsecure("0.0.0.0", null, insecure: false));
    }
}
