using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Epsilon.Cli.Api;

/// <summary>
/// The HTTP client the CLI calls the builder and the gateways with. With a CA file, certificates are verified against
/// that CA alone (as curl's <c>--cacert</c>); the host name is checked against the certificate either way.
/// </summary>
internal static class PlatformHttp
{
    public static HttpClient Create(string? caFile, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        if (!string.IsNullOrEmpty(caFile))
        {
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                // A private CA rarely publishes revocation lists.
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(LoadCa(caFile));
            handler.SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy };
        }

        return new HttpClient(handler) { Timeout = timeout };
    }

    private static X509Certificate2Collection LoadCa(string path)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new CliException(ExitCodes.Usage, $"--ca-file {path}: {ex.Message}");
        }

        if (certificates.Count == 0)
        {
            throw new CliException(ExitCodes.Usage, $"--ca-file {path} holds no PEM certificate");
        }

        return certificates;
    }

    /// <summary>The one-line reason a request to <paramref name="url"/> got no answer.</summary>
    public static CliException Unreachable(string what, Uri url, Exception exception)
    {
        if (exception is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } tls)
        {
            var reason = tls.InnerException?.Message ?? tls.Message;
            return new CliException(ExitCodes.Unreachable,
                $"the {what} at {url.GetLeftPart(UriPartial.Authority)} presented a certificate that does not verify ({reason}); " +
                "if a private CA signed it, pass that CA with --ca-file", exception);
        }

        if (exception is TaskCanceledException or TimeoutException)
        {
            return new CliException(ExitCodes.Unreachable, $"the {what} at {url.GetLeftPart(UriPartial.Authority)} did not answer in time", exception);
        }

        return new CliException(ExitCodes.Unreachable, $"cannot reach the {what} at {url.GetLeftPart(UriPartial.Authority)}: {exception.Message}", exception);
    }

    /// <summary>The exit code an error status maps to.</summary>
    public static int ExitCodeOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExitCodes.Unauthorized,
        HttpStatusCode.NotFound => ExitCodes.NotFound,
        _ => ExitCodes.Failed,
    };
}
