using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Epsilon.Tests.Shared;

/// <summary>
/// A throwaway certificate authority made at test time (no openssl): it signs server certificates for 127.0.0.1 and
/// localhost, and writes them as PEM files the way an operator would hand them to Kestrel or the gateway.
/// </summary>
internal sealed class TestCertificateAuthority : IDisposable
{
    private readonly X509Certificate2 _ca;

    public TestCertificateAuthority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        _ca = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    /// <summary>The CA certificate alone.</summary>
    public X509Certificate2 Certificate => _ca;

    /// <summary>Writes the CA certificate as PEM to <paramref name="path"/> and returns the path.</summary>
    public string WriteCa(string path)
    {
        File.WriteAllText(path, _ca.ExportCertificatePem());
        return path;
    }

    /// <summary>
    /// Issues a server certificate for 127.0.0.1, localhost and <paramref name="address"/> when given, and writes it and
    /// its key as PEM files.
    /// </summary>
    public (string CertificatePath, string KeyPath) WriteServerCertificate(string directory, string name = "server", IPAddress? address = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        if (address is not null)
        {
            san.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var certificate = request.Create(_ca, now.AddMinutes(-5), now.AddHours(12), serial);
        var certificatePath = Path.Combine(directory, $"{name}.crt");
        var keyPath = Path.Combine(directory, $"{name}.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    /// <summary>An HTTP handler that trusts this CA only (and checks the server's name as usual).</summary>
    public SocketsHttpHandler TrustingHandler()
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(_ca);
        return new SocketsHttpHandler { UseProxy = false, SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy } };
    }

    /// <summary>
    /// Asserts that the health endpoint at <paramref name="url"/> answers a client trusting this CA and that a client
    /// trusting only the machine's roots is refused at the handshake.
    /// </summary>
    public async Task AssertServesOnlyClientsTrustingItAsync(Uri url)
    {
        using (var trusting = new HttpClient(TrustingHandler()) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) })
        {
            Assert.Equal(HttpStatusCode.OK, (await trusting.GetAsync("/_epsilon/health")).StatusCode);
        }

        using (var other = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) })
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => other.GetAsync("/_epsilon/health"));
            Assert.Equal(HttpRequestError.SecureConnectionError, refused.HttpRequestError);
        }
    }

    public void Dispose() => _ca.Dispose();
}
