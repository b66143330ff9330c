using Wafer.ControlPlane.Hosting;

namespace Wafer.ControlPlane.Tests.Hosting;

/// <summary>Settings the orchestrator refuses at start, each with a message naming the flag.</summary>
public sealed class OrchestratorOptionsTests
{
    private static IReadOnlyList<string> Errors(Action<OrchestratorOptions> configure)
    {
        var options = new OrchestratorOptions { StoragePath = Path.GetTempPath() };
        configure(options);
        return options.Validate();
    }

    [Fact]
    public void MqttCa_MustHoldACertificate_AndGoWithAnMqttsBroker()
    {
        var folder = Directory.CreateTempSubdirectory("wafer-ca-").FullName;
        var notPem = Path.Combine(folder, "not.pem");
        File.WriteAllText(notPem, "not a certificate");
        var pem = Path.Combine(folder, "ca.pem");
        using (var key = System.Security.Cryptography.ECDsa.Create())
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=ca", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
            using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllText(pem, ca.ExportCertificatePem());
        }

        Assert.Contains($"MqttCa (--mqttCa): '{notPem}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
            Errors(o => { o.Mqtt = "mqtts://broker:8883"; o.MqttCa = notPem; }));
        Assert.Contains("MqttCa (--mqttCa) is for an mqtts:// broker given with --mqtt", Errors(o => o.MqttCa = pem));
        Assert.Contains("MqttCa (--mqttCa) is for an mqtts:// broker given with --mqtt", Errors(o => { o.Mqtt = "mqtt://broker:1883"; o.MqttCa = pem; }));
        Assert.Empty(Errors(o => { o.Mqtt = "mqtts://broker:8883"; o.MqttCa = pem; }));
    }

    [Theory]
    [InlineData("http://wafer:s3cret@broker:1883", "Mqtt (--mqtt): 'http://wafer:***@broker:1883' is not an mqtt://HOST:PORT or mqtts://HOST:PORT URL")]
    [InlineData("mqtt://broker:1883/topic", "Mqtt (--mqtt): 'mqtt://broker:1883/topic' has a path or query; give only mqtt://HOST:PORT")]
    public void Mqtt_NotABrokerUrl_RefusedWithoutThePassword(string url, string error) =>
        Assert.Equal([error], Errors(o => o.Mqtt = url));

    [Fact]
    public void RouteGrace_BetweenZeroAndAMinute()
    {
        Assert.Empty(Errors(o => o.RouteGrace = TimeSpan.Zero));
        Assert.Contains("RouteGrace (--routeGrace) must be between 0 and 1 minute, got -00:00:01", Errors(o => o.RouteGrace = TimeSpan.FromSeconds(-1)));
        Assert.Contains("RouteGrace (--routeGrace) must be between 0 and 1 minute, got 00:02:00", Errors(o => o.RouteGrace = TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public void BrokerHost_BeyondLoopback_NeedsTheToken()
    {
        Assert.Empty(Errors(o => o.BrokerHost = "127.0.0.1"));
        Assert.Empty(Errors(o => o.BrokerHost = "::1"));
        Assert.Equal(["BrokerHost (--brokerHost) 0.0.0.0 is beyond loopback: the in-process broker then requires credentials, which derive from the fleet token; set --token (or WAFER_TOKEN)"],
            Errors(o => o.BrokerHost = "0.0.0.0"));
        Assert.Empty(Errors(o => { o.BrokerHost = "0.0.0.0"; o.ApiToken = "t"; }));
        Assert.Equal(["BrokerHost (--brokerHost) must be an IP address to bind (127.0.0.1, 0.0.0.0, ::), got 'localhost'"], Errors(o => o.BrokerHost = "localhost"));
        Assert.Empty(Errors(o => { o.BrokerHost = "0.0.0.0"; o.Mqtt = "mqtt://broker:1883"; })); // an external broker: not ours to bind
    }
}
