using Epsilon.Tests.Shared;

namespace Epsilon.Builder.Tls;

/// <summary>The builder as Program builds it (slim builder), serving https from PEM files given through Kestrel's own configuration.</summary>
public sealed class BuilderHttpsTests : IDisposable
{
    private readonly string _root = TempDirectory.Create("epsilon-builder-tls");
    private readonly TestCertificateAuthority _ca = new("Epsilon test CA");

    [Fact]
    public async Task Builder_WithAPemCertificate_ServesHttpsThatAClientTrustingTheCaVerifies_AndOthersRefuse()
    {
        var (certificate, key) = _ca.WriteServerCertificate(_root);
        var app = BuilderApplication.Build(
        [
            "--urls=https://127.0.0.1:0",
            $"--Kestrel:Certificates:Default:Path={certificate}",
            $"--Kestrel:Certificates:Default:KeyPath={key}",
            $"--Epsilon:Store:Path={Path.Combine(_root, "epsilon.db")}",
            $"--Epsilon:Builder:WorkDirectory={Path.Combine(_root, "builds")}",
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
        TempDirectory.Delete(_root);
    }
}
