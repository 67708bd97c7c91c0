using Epsilon.Core.Contracts;
using Yarp.ReverseProxy.Forwarder;

namespace Epsilon.Gateway.Invocation;

/// <summary>
/// Sends the call to the container as the function should see it: the path after <c>/{function}</c>, the query,
/// method, headers and body unchanged, plus the request id and X-Forwarded headers the gateway sets (see <see cref="CallerHeaders"/>).
/// </summary>
internal sealed class FunctionRequestTransformer : HttpTransformer
{
    /// <summary>The answer's header naming the version that served the call.</summary>
    public const string VersionHeader = "X-Epsilon-Version";

    public static readonly FunctionRequestTransformer Instance = new();

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix,
        CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        var request = httpContext.Request;
        var invocation = httpContext.Features.Get<InvocationFeature>()!;
        proxyRequest.RequestUri = RequestUtilities.MakeDestinationAddress(destinationPrefix,
            FunctionPath(request.Path, invocation.PrefixSegments), request.QueryString);
        proxyRequest.Headers.Host = null;
        proxyRequest.Headers.Remove(WrapperHeaders.RequestId);
        proxyRequest.Headers.TryAddWithoutValidation(WrapperHeaders.RequestId, invocation.RequestId);
        CallerHeaders.Set(httpContext, proxyRequest, invocation.Prefix.Length > 0 ? invocation.Prefix : null);
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
        CancellationToken cancellationToken)
    {
        var invocation = httpContext.Features.Get<InvocationFeature>()!;
        if (proxyResponse is not null && proxyResponse.Headers.Contains(WrapperHeaders.TimedOut))
        {
            invocation.TimedOutInside = true;
        }

        var copy = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);

        // One request id whatever the function's own response says, and which version answered (canaries, aliases).
        httpContext.Response.Headers[WrapperHeaders.RequestId] = invocation.RequestId;
        httpContext.Response.Headers[VersionHeader] = invocation.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return copy;
    }

    /// <summary>
    /// What the function sees of <paramref name="path"/> once the route's <paramref name="prefixSegments"/> are taken off:
    /// <c>/hello/a/b</c> is <c>/a/b</c>, <c>/hello</c> is <c>/</c>, eserveless's <c>/invoke/project/fn/a</c> (3 segments) is <c>/a</c>,
    /// and a Host route's (0 segments) is the whole path.
    /// </summary>
    internal static PathString FunctionPath(PathString path, int prefixSegments = 1)
    {
        var value = path.Value ?? "/";
        var start = 0;
        for (var i = 0; i < prefixSegments; i++)
        {
            start = value.IndexOf('/', start + 1);
            if (start < 0)
            {
                return new PathString("/");
            }
        }

        return new PathString(value[start..]);
    }
}
