using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Epsilon.Core.Docker;

/// <summary>
/// The one <see cref="HttpClient"/> to the daemon and the two ways of calling it: bounded requests whose
/// answer is read whole, and streams bounded only by the caller's token.
/// </summary>
internal sealed class DockerHttpTransport : IDisposable
{
    private readonly HttpClient _httpClient;
    private readonly TimeSpan _requestTimeout;

    public DockerHttpTransport(DockerClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = DockerClientOptionsValidator.GetFailures(options);
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        _requestTimeout = options.RequestTimeout;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
        };

        string authority;
        if (options.Endpoint.StartsWith(DockerClientOptionsValidator.UnixScheme, StringComparison.Ordinal))
        {
            var socketPath = options.Endpoint[DockerClientOptionsValidator.UnixScheme.Length..];
            handler.ConnectCallback = (_, cancellationToken) => ConnectUnixSocketAsync(socketPath, cancellationToken);
            authority = "docker";
        }
        else
        {
            DockerClientOptionsValidator.TryGetTcpAuthority(options.Endpoint, out authority);
        }

        // Timeout is per call (see SendAsync); a client-wide one would cut streams and waits.
        _httpClient = new HttpClient(handler)
        {
            BaseAddress = new Uri($"http://{authority}/v{options.ApiVersion}/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Escapes a name for a path, keeping the slashes of image names (<c>registry:5000/repo</c>).</summary>
    public static string EscapePath(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return string.Join('/', name.Split('/').Select(Uri.EscapeDataString));
    }

    /// <summary>
    /// Sends a request bounded by the request timeout (plus <paramref name="additionalTimeout"/>) and reads the
    /// answer whole. Success is 2xx or 304; any other status throws what <paramref name="mapError"/> makes of it.
    /// </summary>
    public async Task<(HttpStatusCode StatusCode, string Body)> SendAsync(
        HttpMethod method,
        string path,
        QueryStringBuilder? query,
        HttpContent? content,
        Func<HttpStatusCode, string, DockerApiException> mapError,
        CancellationToken cancellationToken,
        TimeSpan additionalTimeout = default)
    {
        var timeout = _requestTimeout + additionalTimeout;
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        using var request = CreateRequest(method, path, query, content, headers: null);
        try
        {
            using var response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeoutSource.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(timeoutSource.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotModified)
            {
                throw mapError(response.StatusCode, body);
            }

            return (response.StatusCode, body);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The Docker API request {method} /{path} did not complete within {timeout.TotalSeconds:0.#} s.", exception);
        }
    }

    /// <summary>Sends a bounded request and deserializes its answer.</summary>
    public async Task<T> SendAsync<T>(
        HttpMethod method,
        string path,
        QueryStringBuilder? query,
        HttpContent? content,
        JsonTypeInfo<T> typeInfo,
        Func<HttpStatusCode, string, DockerApiException> mapError,
        CancellationToken cancellationToken)
    {
        var (statusCode, body) = await SendAsync(method, path, query, content, mapError, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(body, typeInfo)
            ?? throw new DockerApiException(statusCode, $"Unexpected answer to {method} /{path}: {body}");
    }

    /// <summary>
    /// Sends a request whose answer is a stream and returns once its headers arrive, bounded only by the
    /// caller's token. An error status throws what <paramref name="mapError"/> makes of it. The caller disposes the answer.
    /// </summary>
    public async Task<HttpResponseMessage> SendStreamingAsync(
        HttpMethod method,
        string path,
        QueryStringBuilder? query,
        HttpContent? content,
        IEnumerable<KeyValuePair<string, string>>? headers,
        Func<HttpStatusCode, string, DockerApiException> mapError,
        CancellationToken cancellationToken)
    {
        using var request = CreateRequest(method, path, query, content, headers);
        var response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw mapError(response.StatusCode, body);
        }
    }

    /// <summary>JSON content of a wire model.</summary>
    public static HttpContent JsonContent<T>(T value, JsonTypeInfo<T> typeInfo) =>
        new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo))
        {
            Headers = { ContentType = new("application/json") },
        };

    public void Dispose() => _httpClient.Dispose();

    private static HttpRequestMessage CreateRequest(
        HttpMethod method, string path, QueryStringBuilder? query, HttpContent? content, IEnumerable<KeyValuePair<string, string>>? headers)
    {
        var queryString = query?.ToString();
        var request = new HttpRequestMessage(method, string.IsNullOrEmpty(queryString) ? path : $"{path}?{queryString}")
        {
            Content = content,
        };

        if (headers is not null)
        {
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }

    private static async ValueTask<Stream> ConnectUnixSocketAsync(string socketPath, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
