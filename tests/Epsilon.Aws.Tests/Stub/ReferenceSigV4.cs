using System.Security.Cryptography;
using System.Text;

namespace Epsilon.Aws.Tests.Stub;

/// <summary>
/// A small, independent Signature Version 4 written from AWS's published algorithm (canonical request, string to sign,
/// derived key, HMAC), so the stub checks the product's signatures (made by AWSSDK.Core) with code that shares nothing
/// with them. Itself checked against AWS's published examples in <c>ReferenceSigV4Tests</c>.
/// </summary>
internal static class ReferenceSigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    public static string Sha256Hex(byte[] data) => Hex(SHA256.HashData(data));

    public static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8.ToArray());
    }

    /// <summary>RFC 3986 encoding of everything but the unreserved characters, as SigV4 asks.</summary>
    public static string Encode(string value)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    public static string CanonicalQuery(string rawQuery)
    {
        var pairs = rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Name: Encode(Uri.UnescapeDataString(p[0])), Value: Encode(Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal);
        return string.Join('&', pairs.Select(p => $"{p.Name}={p.Value}"));
    }

    public static string CanonicalPath(string path) =>
        path.Length == 0 ? "/" : string.Join('/', path.Split('/').Select(s => Encode(Uri.UnescapeDataString(s))));

    /// <param name="headers">Every header of the request; those named in <paramref name="signedHeaders"/> are canonicalised.</param>
    public static string CanonicalRequest(string method, string path, string rawQuery, IReadOnlyDictionary<string, string> headers, string signedHeaders, byte[] body)
    {
        var builder = new StringBuilder();
        builder.Append(method).Append('\n').Append(CanonicalPath(path)).Append('\n').Append(CanonicalQuery(rawQuery)).Append('\n');
        foreach (var name in signedHeaders.Split(';'))
        {
            var value = headers.First(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
            builder.Append(name).Append(':').Append(string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))).Append('\n');
        }

        builder.Append('\n').Append(signedHeaders).Append('\n').Append(Sha256Hex(body));
        return builder.ToString();
    }

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{Sha256Hex(Encoding.UTF8.GetBytes(canonicalRequest))}";

    public static string Signature(string secret, string amzDate, string region, string service, string canonicalRequest)
    {
        var date = amzDate[..8];
        var scope = $"{date}/{region}/{service}/aws4_request";
        return Hex(HMACSHA256.HashData(SigningKey(secret, date, region, service), Encoding.UTF8.GetBytes(StringToSign(amzDate, scope, canonicalRequest))));
    }
}
