using Wafer.Protocol.Transport;
using Wafer.Runtime.Agent;

namespace Wafer.Runtime.Tests.Agent;

/// <summary>The agent's settings: the broker URL, validation naming the setting to fix, and the reconnect backoff.</summary>
public sealed class AgentSettingsTests
{
    [Theory]
    [InlineData("mqtt://broker:1884", "broker", 1884, false, null, null)]
    [InlineData("mqtt://127.0.0.1", "127.0.0.1", 1883, false, null, null)]
    [InlineData("mqtts://broker.example", "broker.example", 8883, true, null, null)]
    [InlineData("mqtt://wafer:p%40ss@broker:1883", "broker", 1883, false, "wafer", "p@ss")]
    [InlineData("mqtt://wafer@broker:1883/", "broker", 1883, false, "wafer", null)]
    [InlineData("mqtt://[::1]:1883", "::1", 1883, false, null, null)]
    public void BrokerAddress_Parses(string url, string host, int port, bool tls, string? user, string? password)
    {
        Assert.True(BrokerAddress.TryParse(url, out var address, out var error), error);
        Assert.Equal(new BrokerAddress(host, port, tls, user, password), address);
    }

    [Theory]
    [InlineData("http://broker:1883", "is not an mqtt://HOST:PORT or mqtts://HOST:PORT URL")]
    [InlineData("broker:1883", "is not an mqtt://HOST:PORT or mqtts://HOST:PORT URL")]
    [InlineData("mqtt://broker:1883/topic", "has a path or query")]
    public void BrokerAddress_RefusesOtherUrls(string url, string reason)
    {
        Assert.False(BrokerAddress.TryParse(url, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void BrokerAddress_NeverShowsThePassword()
    {
        Assert.True(BrokerAddress.TryParse("mqtt://wafer:secret@broker:1883", out var address, out _));
        Assert.Equal("mqtt://broker:1883", address.ToString());
        Assert.False(BrokerAddress.TryParse("http://wafer:secret@broker", out _, out var error));
        Assert.DoesNotContain("secret", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NamesEachSettingToFix()
    {
        var options = new AgentOptions
        {
            Join = "tcp://broker",
            KeepaliveInterval = TimeSpan.FromMilliseconds(10),
            AdvertisedUrl = "not a url",
            MaxModules = 0,
            Labels = new Dictionary<string, string> { [" "] = "x" },
        };

        var errors = options.Validate();

        Assert.Collection(errors,
            e => Assert.StartsWith("Agent.Join (--join):", e, StringComparison.Ordinal),
            e => Assert.StartsWith("Agent.KeepaliveInterval (--keepalive)", e, StringComparison.Ordinal),
            e => Assert.StartsWith("Agent.AdvertisedUrl (--advertise)", e, StringComparison.Ordinal),
            e => Assert.StartsWith("Agent.Labels (--labels)", e, StringComparison.Ordinal),
            e => Assert.StartsWith("Agent.MaxModules", e, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_WithoutJoin_HasNothingToCheck()
    {
        Assert.Empty(new AgentOptions { KeepaliveInterval = TimeSpan.Zero }.Validate());
        Assert.False(new AgentOptions().Enabled);
    }

    [Fact]
    public void Backoff_DoublesFrom100MillisecondsUpTo5Seconds()
    {
        var always = new FixedRandom(1.0);
        Assert.Equal(100, ReconnectBackoff.Delay(0, always).TotalMilliseconds, 3);
        Assert.Equal(200, ReconnectBackoff.Delay(1, always).TotalMilliseconds, 3);
        Assert.Equal(3200, ReconnectBackoff.Delay(5, always).TotalMilliseconds, 3);
        Assert.Equal(5000, ReconnectBackoff.Delay(6, always).TotalMilliseconds, 3);
        Assert.Equal(5000, ReconnectBackoff.Delay(int.MaxValue, always).TotalMilliseconds, 3);
        Assert.Equal(4000, ReconnectBackoff.Delay(60, new FixedRandom(0)).TotalMilliseconds, 3);
    }

    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }
}
