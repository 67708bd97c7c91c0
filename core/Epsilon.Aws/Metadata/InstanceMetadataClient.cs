using System.Net;
using Amazon.Util;
using Microsoft.Extensions.Options;

namespace Epsilon.Aws.Metadata;

/// <summary>
/// The EC2 instance metadata service with IMDSv2's session tokens: a token from <c>PUT /latest/api/token</c>, kept
/// until shortly before its TTL ends and fetched again when the service answers 401, sent with every read.
/// </summary>
internal sealed class InstanceMetadataClient : IDisposable
{
    internal const string TokenHeader = "X-aws-ec2-metadata-token";
    internal const string TokenTtlHeader = "X-aws-ec2-metadata-token-ttl-seconds";
    private static readonly TimeSpan TokenTtl = TimeSpan.FromHours(6);

    private readonly HttpClient _http;
    private readonly TimeProvider _timeProvider;
    private readonly Uri _endpoint;
    private readonly SemaphoreSlim _tokenLock = new(1, 1);
    private (string Value, DateTimeOffset RenewAt)? _token;

    public InstanceMetadataClient(IOptions<AwsOptions> options, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        // The SDK's resolution by default, so this and the SDK's instance-role credentials read the same service.
        var endpoint = options.Value.MetadataEndpoint?.ToString() ?? EC2InstanceMetadata.ServiceEndpoint;
        _endpoint = new Uri(endpoint.TrimEnd('/') + "/");
        // The metadata service answers in microseconds on the instance; a slow one is a missing one.
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
    }

    public Uri Endpoint => _endpoint;

    /// <summary>The value at <c>/latest/meta-data/{path}</c>, or null when the service has none (404).</summary>
    public async Task<string?> GetMetadataAsync(string path, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var token = await TokenAsync(cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_endpoint, "latest/meta-data/" + path.TrimStart('/')));
            request.Headers.TryAddWithoutValidation(TokenHeader, token);
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
            {
                // The token expired or the service restarted: one new token, one more try.
                _token = null;
                continue;
            }

            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim();
        }
    }

    private async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        if (_token is { } cached && _timeProvider.GetUtcNow() < cached.RenewAt)
        {
            return cached.Value;
        }

        await _tokenLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is { } fetched && _timeProvider.GetUtcNow() < fetched.RenewAt)
            {
                return fetched.Value;
            }

            using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(_endpoint, "latest/api/token"));
            request.Headers.TryAddWithoutValidation(TokenTtlHeader, ((int)TokenTtl.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            var token = (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim();
            _token = (token, _timeProvider.GetUtcNow() + TokenTtl - TimeSpan.FromMinutes(5));
            return token;
        }
        finally
        {
            _tokenLock.Release();
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _tokenLock.Dispose();
    }
}
