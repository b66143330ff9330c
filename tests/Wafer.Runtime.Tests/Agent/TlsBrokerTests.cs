using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Server;
using Wafer.Runtime.Agent;
using Wafer.Runtime.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Agent;

/// <summary>
/// An <c>mqtts://</c> broker whose certificate comes from a private CA: the agent joins when given that CA
/// (<c>--mqttCa</c>) and refuses the broker otherwise.
/// </summary>
public sealed class TlsBrokerTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "wafer-tls-tests", Guid.NewGuid().ToString("N")[..12]);

    public TlsBrokerTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public async Task Join_BrokerWithAPrivateCa_ConnectsOnlyWithThatCa()
    {
        using var ca = CreateCa();
        using var certificate = CreateServerCertificate(ca);
        var caFile = Path.Combine(_folder, "ca.pem");
        File.WriteAllText(caFile, ca.ExportCertificatePem());
        var port = LoopbackPorts.Free();
        var factory = new MqttServerFactory();
        using var broker = factory.CreateMqttServer(factory.CreateServerOptionsBuilder()
            .WithoutDefaultEndpoint()
            .WithEncryptedEndpoint()
            .WithEncryptedEndpointBoundIPAddress(IPAddress.Loopback)
            .WithEncryptedEndpointBoundIPV6Address(IPAddress.None)
            .WithEncryptedEndpointPort(port)
            .WithEncryptionCertificate(X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null))
            .WithEncryptionSslProtocol(System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13)
            .Build());
        await broker.StartAsync();

        await using var untrusted = await RuntimeServer.StartAsync([], o => o.Agent.Join = $"mqtts://127.0.0.1:{port}", Path.Combine(_folder, "untrusted"));
        await using var trusted = await RuntimeServer.StartAsync([], o =>
        {
            o.Agent.Join = $"mqtts://127.0.0.1:{port}";
            o.Agent.MqttCa = caFile;
        }, Path.Combine(_folder, "trusted"));

        var trustedAgent = trusted.Services.GetRequiredService<RuntimeAgent>();
        await Eventually.TrueAsync(() => trustedAgent.IsConnected, "the agent with the CA joins the TLS broker", FakeOrchestrator.Deadline);
        Assert.False(untrusted.Services.GetRequiredService<RuntimeAgent>().IsConnected);
        // the untrusted agent's refused handshakes may be listed for a moment while they fail
        var deadline = DateTime.UtcNow + FakeOrchestrator.Deadline;
        while ((await broker.GetClientsAsync()).Count != 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Single(await broker.GetClientsAsync());
        await broker.StopAsync();
    }

    [Fact]
    public void MqttCa_NotACertificateOrNotTls_IsASettingsError()
    {
        var notPem = Path.Combine(_folder, "not.pem");
        File.WriteAllText(notPem, "hello");
        using var ca = CreateCa();
        var pem = Path.Combine(_folder, "ca.pem");
        File.WriteAllText(pem, ca.ExportCertificatePem());

        Assert.Contains($"Agent.MqttCa (--mqttCa): '{notPem}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
            new AgentOptions { Join = "mqtts://127.0.0.1:8883", MqttCa = notPem }.Validate());
        Assert.Contains("Agent.MqttCa (--mqttCa) is for an mqtts:// broker; --join names an mqtt:// one",
            new AgentOptions { Join = "mqtt://127.0.0.1:1883", MqttCa = pem }.Validate());
        Assert.StartsWith("Agent.MqttCa (--mqttCa): cannot read CA certificates from",
            Assert.Single(new AgentOptions { Join = "mqtts://127.0.0.1:8883", MqttCa = Path.Combine(_folder, "missing.pem") }.Validate()));
        Assert.Empty(new AgentOptions { Join = "mqtts://127.0.0.1:8883", MqttCa = pem }.Validate());
    }

    private static X509Certificate2 CreateCa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Wafer test CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 CreateServerCertificate(X509Certificate2 ca)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        // within the CA's own validity: taken from the clock again, its end could fall a second after the CA's
        using var signed = request.Create(ca, ca.NotBefore.AddMinutes(1), ca.NotAfter.AddHours(-1), RandomNumberGenerator.GetBytes(8));
        return signed.CopyWithPrivateKey(key);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
