using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Xml.Linq;
using Epsilon.Aws.Credentials;
using Epsilon.Aws.Signing;
using Microsoft.Extensions.Options;

namespace Epsilon.Aws;

/// <summary>
/// Sends signed POSTs to AWS APIs and turns their errors, in either protocol's shape (JSON <c>__type</c>/<c>message</c>,
/// Query XML <c>Error/Code</c>/<c>Message</c>), into <see cref="AwsRequestException"/>s. The few calls Epsilon makes are
/// written by hand here because the ECR and Auto Scaling SDK packages are not available to the build.
/// </summary>
internal sealed class AwsClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly AwsCredentialsProvider _credentials;
    private readonly TimeProvider _timeProvider;

    public AwsClient(AwsCredentialsProvider credentials, IOptions<AwsOptions> options, TimeProvider timeProvider)
    {
        _credentials = credentials;
        _timeProvider = timeProvider;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) })
        {
            Timeout = options.Value.RequestTimeout,
        };
    }

    /// <summary>Sends <paramref name="request"/> and returns the answer's body; throws <see cref="AwsRequestException"/> when AWS refuses it.</summary>
    public async Task<string> SendAsync(AwsRequest request, CancellationToken cancellationToken = default)
    {
        var credentials = await _credentials.GetAsync(cancellationToken).ConfigureAwait(false);
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Endpoint);
        message.Content = new ByteArrayContent(request.Body);
        message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
        if (request.Target is { } target)
        {
            message.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        }

        SigV4Signer.Sign(message, request.Body, credentials, request.Region, request.Service, _timeProvider.GetUtcNow());

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new AwsRequestException(request.Service, request.Operation, null, "RequestFailed", $"{request.Endpoint} did not answer: {ex.Message}", ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var (code, text) = ParseError(body, response);
                throw new AwsRequestException(request.Service, request.Operation, response.StatusCode, code, text);
            }

            return body;
        }
    }

    /// <summary>AWS's error code and message from a JSON or XML error body, or the status line when neither parses.</summary>
    internal static (string Code, string Message) ParseError(string body, HttpResponseMessage response)
    {
        var fallback = (Code: response.Headers.TryGetValues("x-amzn-ErrorType", out var types) ? types.First().Split(':')[0] : response.StatusCode.ToString(),
            Message: string.IsNullOrWhiteSpace(body) ? response.ReasonPhrase ?? "" : body.Trim());
        var trimmed = body.TrimStart();
        try
        {
            if (trimmed.StartsWith('{'))
            {
                using var json = JsonDocument.Parse(trimmed);
                var root = json.RootElement;
                var type = root.TryGetProperty("__type", out var t) ? t.GetString() : null;
                var text = root.TryGetProperty("message", out var m) || root.TryGetProperty("Message", out m) ? m.GetString() : null;
                // The JSON protocol may qualify the code with its namespace: "com.amazon.coral.service#UnrecognizedClientException".
                return (type?[(type.LastIndexOf('#') + 1)..] ?? fallback.Code, text ?? fallback.Message);
            }

            if (trimmed.StartsWith('<'))
            {
                var error = XDocument.Parse(trimmed).Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
                var code = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;
                var text = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value;
                return (code ?? fallback.Code, text ?? fallback.Message);
            }
        }
        catch (Exception ex) when (ex is JsonException or System.Xml.XmlException)
        {
            // Not AWS's shape (a proxy's page): the status and the raw text say more than nothing.
        }

        return fallback;
    }

    public void Dispose() => _http.Dispose();
}
