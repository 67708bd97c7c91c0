using Epsilon.Core.Contracts;

namespace Epsilon.Gateway.Invocation;

/// <summary>
/// The X-Forwarded headers a function (or the next gateway) gets: set afresh from what this gateway knows of the caller,
/// never appended to what the caller sent. The caller's address, scheme and host are the connection's, or a trusted
/// proxy's account of them (see <see cref="TrustedProxies"/>), so a caller cannot make a function believe it is
/// 6.6.6.6 by saying so.
/// </summary>
internal static class CallerHeaders
{
    // What the forwarded-headers middleware keeps of the original values, and RFC 7239's form: none is the function's business.
    private static readonly string[] s_dropped =
    [
        WrapperHeaders.ForwardedFor, WrapperHeaders.ForwardedProto, WrapperHeaders.ForwardedHost, WrapperHeaders.ForwardedPrefix,
        "Forwarded", "X-Original-For", "X-Original-Proto", "X-Original-Host", "X-Real-IP",
    ];

    /// <summary>Replaces the forwarding headers of <paramref name="proxyRequest"/> with this gateway's account of the caller.</summary>
    /// <param name="prefix">The route's prefix (X-Forwarded-Prefix), for a function; null when forwarding to another gateway.</param>
    public static void Set(HttpContext context, HttpRequestMessage proxyRequest, string? prefix)
    {
        var headers = proxyRequest.Headers;
        foreach (var name in s_dropped)
        {
            headers.Remove(name);
        }

        var request = context.Request;
        headers.TryAddWithoutValidation(WrapperHeaders.ForwardedFor, context.Connection.RemoteIpAddress?.ToString());
        headers.TryAddWithoutValidation(WrapperHeaders.ForwardedProto, request.Scheme);
        headers.TryAddWithoutValidation(WrapperHeaders.ForwardedHost, request.Host.Value);
        if (prefix is not null)
        {
            headers.TryAddWithoutValidation(WrapperHeaders.ForwardedPrefix, prefix);
        }
    }
}
