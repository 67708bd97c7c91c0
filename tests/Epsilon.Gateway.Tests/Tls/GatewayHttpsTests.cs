using Epsilon.Tests.Shared;
using Microsoft.AspNetCore.Builder;

namespace Epsilon.Gateway.Tests.Tls;

/// <summary>
/// The gateway as Program builds it (slim builder, SQLite store, the local Docker engine), serving https from PEM files
/// given through Kestrel's own configuration.
/// </summary>
public sealed class GatewayHttpsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("epsilon-tls-").FullName;
    private readonly TestCertificateAuthority _ca = new("Epsilon test CA");

    [Fact]
    public async Task Gateway_WithAPemCertificate_ServesHttpsThatAClientTrustingTheCaVerifies_AndOthersRefuse()
    {
        var (certificate, key) = _ca.WriteServerCertificate(_root);
        var app = GatewayApplication.Build(
        [
            "--urls=https://127.0.0.1:0",
            $"--Kestrel:Certificates:Default:Path={certificate}",
            $"--Kestrel:Certificates:Default:KeyPath={key}",
            $"--Epsilon:Store:Path={Path.Combine(_root, "epsilon.db")}",
            $"--Epsilon:Gateway:Id=tls-{Guid.NewGuid().ToString("N")[..8]}",
            "--Epsilon:Gateway:RemoveContainersOnStop=true",
            "--Epsilon:Gateway:Fleet:DrainDelay=00:00:00",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await using var _ = app;
        await app.StartAsync();
        var url = new Uri(app.Urls.First());
        Assert.Equal("https", url.Scheme);

        await _ca.AssertServesOnlyClientsTrustingItAsync(url);

        await app.StopAsync();
    }

    public void Dispose()
    {
        _ca.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
