using System.Security.Cryptography;
using System.Text;

namespace Epsilon.Aws.Tests.Stub;

/// <summary>What the stub concluded about a request's signature: valid (with whose key and which scope) or why not.</summary>
internal sealed record SignatureCheck(bool Valid, string Reason, string? AccessKey = null, string? Region = null, string? Service = null, string? SignedHeaders = null)
{
    /// <summary>
    /// Verifies a request the way AWS does: parse the Authorization header, find the secret of its access key (and the
    /// session token issued with it), recompute the signature from the request as received and compare.
    /// </summary>
    public static SignatureCheck Verify(string method, string path, string rawQuery, IReadOnlyDictionary<string, string> headers, byte[] body,
        IReadOnlyDictionary<string, (string Secret, string? Token)> keys, string expectedService)
    {
        if (!headers.TryGetValue("authorization", out var authorization) || !authorization.StartsWith(ReferenceSigV4.Algorithm + " ", StringComparison.Ordinal))
        {
            return new(false, "MissingAuthenticationToken");
        }

        var parts = authorization[(ReferenceSigV4.Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("Credential", out var credential) || !parts.TryGetValue("SignedHeaders", out var signedHeaders)
            || !parts.TryGetValue("Signature", out var signature))
        {
            return new(false, "IncompleteSignature");
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            return new(false, "IncompleteSignature: bad credential scope");
        }

        var (accessKey, date, region, service) = (scope[0], scope[1], scope[2], scope[3]);
        if (service != expectedService)
        {
            return new(false, $"SignatureDoesNotMatch: credential scope names service '{service}', not '{expectedService}'");
        }

        if (!headers.TryGetValue("x-amz-date", out var amzDate) || !amzDate.StartsWith(date, StringComparison.Ordinal))
        {
            return new(false, "SignatureDoesNotMatch: x-amz-date missing or not the scope's date");
        }

        var signed = signedHeaders.Split(';');
        if (!signed.Contains("host") || !signed.Contains("x-amz-date") || signed.Any(h => !headers.ContainsKey(h))
            || !signed.SequenceEqual(signed.Order(StringComparer.Ordinal)))
        {
            return new(false, "SignatureDoesNotMatch: signed headers must include host and x-amz-date, be sorted and be present");
        }

        if (!keys.TryGetValue(accessKey, out var key))
        {
            return new(false, "UnrecognizedClientException: unknown access key");
        }

        if (key.Token is not null && (!headers.TryGetValue("x-amz-security-token", out var token) || token != key.Token || !signed.Contains("x-amz-security-token")))
        {
            return new(false, "InvalidClientTokenId: the session token is missing, wrong or unsigned");
        }

        var canonical = ReferenceSigV4.CanonicalRequest(method, path, rawQuery, headers, signedHeaders, body);
        var expected = ReferenceSigV4.Signature(key.Secret, amzDate, region, service, canonical);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature))
            ? new(true, "ok", accessKey, region, service, signedHeaders)
            : new(false, "SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided.");
    }
}
