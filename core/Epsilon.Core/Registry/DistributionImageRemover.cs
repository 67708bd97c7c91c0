using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Epsilon.Core.Contracts;
using Microsoft.Extensions.Options;

namespace Epsilon.Core.Registry;

/// <summary>
/// Removes images through the Distribution registry's HTTP API: each tag resolved to its manifest's digest with HEAD
/// (asking for the schema 2 and OCI manifests, so the digest is the one the push stored), then that manifest deleted,
/// which takes its tag with it. Basic auth with the configured credentials; plain HTTP on a loopback registry (as
/// dockerd allows), HTTPS elsewhere. The registry must run with deletes enabled; its blobs are freed by its own
/// garbage collection.
/// </summary>
public sealed class DistributionImageRemover(
    IRegistryCredentials credentials,
    IOptions<RegistryOptions> options) : IRegistryImageRemover, IDisposable
{
    private static readonly string[] s_manifestTypes =
    [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.index.v1+json",
    ];

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <inheritdoc />
    public async Task<ImageRemoval> RemoveAsync(IReadOnlyList<string> images, CancellationToken cancellationToken = default)
    {
        var removed = new List<string>();
        var failed = new List<string>();
        var auth = await credentials.GetAsync(cancellationToken).ConfigureAwait(false);
        var authorization = auth is { Username: { Length: > 0 } user }
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{auth.Password}")))
            : null;
        foreach (var image in images)
        {
            try
            {
                var error = await RemoveAsync(ImageReference.Parse(image), authorization, cancellationToken).ConfigureAwait(false);
                if (error is null)
                {
                    removed.Add(image);
                }
                else
                {
                    failed.Add($"{image}: {error}");
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                failed.Add($"{image}: {ex.Message}");
            }
        }

        return new ImageRemoval(removed, failed);
    }

    /// <summary>Null when the image is gone; otherwise why it is not.</summary>
    private async Task<string?> RemoveAsync(ImageReference image, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        var registry = image.Registry ?? options.Value.Address;
        var host = registry.Split(':')[0].Trim('[', ']');
        var scheme = host == "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address)) ? "http" : "https";
        // Built as text: a digest (sha256:...) resolved against a base URI would read as a URI scheme of its own.
        var manifests = $"{scheme}://{registry}/v2/{image.Repository}/manifests/";

        string digest;
        if (image.Digest is { } pinned)
        {
            digest = pinned;
        }
        else
        {
            using var head = new HttpRequestMessage(HttpMethod.Head, new Uri(manifests + (image.Tag ?? ImageReference.DefaultTag)));
            head.Headers.Authorization = authorization;
            foreach (var type in s_manifestTypes)
            {
                head.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            }

            using var found = await _http.SendAsync(head, cancellationToken).ConfigureAwait(false);
            if (found.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (!found.IsSuccessStatusCode || !found.Headers.TryGetValues("Docker-Content-Digest", out var digests))
            {
                return $"the registry answered {(int)found.StatusCode} to HEAD of its manifest";
            }

            digest = digests.First();
        }

        using var delete = new HttpRequestMessage(HttpMethod.Delete, new Uri(manifests + digest));
        delete.Headers.Authorization = authorization;
        using var deleted = await _http.SendAsync(delete, cancellationToken).ConfigureAwait(false);
        return deleted.StatusCode switch
        {
            HttpStatusCode.Accepted or HttpStatusCode.OK or HttpStatusCode.NotFound => null,
            HttpStatusCode.MethodNotAllowed => "the registry does not allow deletes (Distribution's storage.delete.enabled is off)",
            var status => $"the registry answered {(int)status} to DELETE of its manifest",
        };
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
