using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Wafer.Protocol.Transport;

/// <summary>
/// Trust for an <c>mqtts://</c> broker whose certificate comes from a private CA (<c>--mqttCa FILE</c>): the broker's
/// chain must end in one of the PEM certificates of that file, and its name must match the host, as with the system
/// store. Without a CA file the system store decides alone.
/// </summary>
public sealed class BrokerTrust
{
    private readonly X509Certificate2Collection _roots;

    private BrokerTrust(X509Certificate2Collection roots) => _roots = roots;

    /// <summary>Reads the CA file; returns null and a message naming the file when it holds no usable certificate.</summary>
    public static BrokerTrust? Load(string path, out string? error)
    {
        error = null;
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            error = $"cannot read CA certificates from '{path}': {ex.Message}";
            return null;
        }

        if (roots.Count == 0)
        {
            error = $"'{path}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)";
            return null;
        }

        return new BrokerTrust(roots);
    }

    /// <summary>Decides whether the broker's certificate is trusted; for the TLS validation callback.</summary>
    public bool Validate(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // a private CA rarely publishes revocation lists
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate); // intermediates the broker sent
            }
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
