using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;
using Amazon.Util;

namespace Epsilon.Aws.Signing;

/// <summary>
/// Signature Version 4 through AWSSDK.Core's <see cref="AWS4Signer"/>: its header canonicalisation, query encoding,
/// canonical request, signing-key derivation and HMAC. Derived only to reach those protected steps, because the SDK's
/// own entry point (<see cref="AWS4Signer.SignRequest"/>) needs a service client's configuration and reads the clock
/// itself, where we sign plain <see cref="HttpRequestMessage"/>s at a time a <see cref="TimeProvider"/> gives.
/// </summary>
internal sealed class SigV4Signer : AWS4Signer
{
    private SigV4Signer()
    {
    }

    /// <summary>
    /// Signs a request given as its parts; returns the headers to send besides <paramref name="headers"/>
    /// (<c>X-Amz-Date</c>, <c>X-Amz-Security-Token</c> with session credentials, <c>Authorization</c>).
    /// </summary>
    /// <param name="headers">The headers to sign besides host and x-amz-date (e.g. content-type, x-amz-target).</param>
    public static IReadOnlyList<KeyValuePair<string, string>> Sign(string method, Uri uri, IEnumerable<KeyValuePair<string, string>> headers,
        ReadOnlySpan<byte> body, ImmutableCredentials credentials, string region, string service, DateTimeOffset signedAt)
    {
        var signed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            signed[name] = value;
        }

        if (credentials.UseToken)
        {
            signed[HeaderKeys.XAmzSecurityTokenHeader] = credentials.Token;
        }

        var at = InitializeHeaders(signed, uri, signedAt.UtcDateTime);
        var sorted = SortAndPruneHeaders(signed);
        var canonicalRequest = CanonicalizeRequest(
            new Uri(uri.GetLeftPart(UriPartial.Authority)),
            uri.AbsolutePath,
            method,
            sorted,
            CanonicalizeQueryParameters(QueryParameters(uri)),
            AWSSDKUtils.ToHex(ComputeHash(body.ToArray()), true),
            pathResources: null,
            doubleEncode: true);
        var result = ComputeSignature(credentials.AccessKey, credentials.SecretKey, region, at, service, CanonicalizeHeaderNames(sorted), canonicalRequest);

        var added = new List<KeyValuePair<string, string>>(3) { new("X-Amz-Date", signed[HeaderKeys.XAmzDateHeader]) };
        if (credentials.UseToken)
        {
            added.Add(new("X-Amz-Security-Token", credentials.Token));
        }

        added.Add(new("Authorization", result.ForAuthorizationHeader));
        return added;
    }

    /// <summary>
    /// Signs <paramref name="request"/>, whose content (if any) is <paramref name="body"/>: its content type and its
    /// <c>x-amz-*</c> headers are signed with host and the date, and the signature headers are added to it.
    /// </summary>
    public static void Sign(HttpRequestMessage request, ReadOnlySpan<byte> body, ImmutableCredentials credentials, string region, string service,
        DateTimeOffset signedAt)
    {
        ArgumentNullException.ThrowIfNull(request.RequestUri);
        var headers = new List<KeyValuePair<string, string>>();
        if (request.Content?.Headers.ContentType is { } contentType)
        {
            headers.Add(new("content-type", contentType.ToString()));
        }

        foreach (var header in request.Headers)
        {
            if (header.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase))
            {
                headers.Add(new(header.Key, string.Join(',', header.Value)));
            }
        }

        foreach (var (name, value) in Sign(request.Method.Method, request.RequestUri, headers, body, credentials, region, service, signedAt))
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    /// <summary>The query's parameters decoded, since the SDK encodes them itself while canonicalising.</summary>
    private static List<KeyValuePair<string, string>> QueryParameters(Uri uri)
    {
        var parameters = new List<KeyValuePair<string, string>>();
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? "" : pair[(equals + 1)..];
            parameters.Add(new(Uri.UnescapeDataString(name), Uri.UnescapeDataString(value.Replace('+', ' '))));
        }

        return parameters;
    }
}
