using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Epsilon.Gateway.Fleet;

/// <summary>How this gateway verifies the certificates of peers that advertise https URLs.</summary>
internal static class PeerCertificates
{
    /// <summary>The certificates in the PEM file at <paramref name="path"/>.</summary>
    public static X509Certificate2Collection LoadCa(string path)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(path);
        return certificates;
    }

    /// <summary>
    /// Client TLS options trusting only the CA in <paramref name="caPath"/>, or null to keep the machine's trusted roots.
    /// The peer's name is still checked against its certificate by the TLS stack.
    /// </summary>
    public static SslClientAuthenticationOptions? ClientOptions(string? caPath)
    {
        if (string.IsNullOrEmpty(caPath))
        {
            return null;
        }

        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            // A private CA rarely publishes revocation lists; peers are members of our own fleet.
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.AddRange(LoadCa(caPath));
        return new SslClientAuthenticationOptions { CertificateChainPolicy = policy };
    }
}
