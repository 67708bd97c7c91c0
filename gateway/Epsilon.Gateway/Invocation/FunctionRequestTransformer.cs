using Yarp.ReverseProxy.Forwarder;

namespace Epsilon.Gateway.Invocation;

/// <summary>
/// Sends the call to the container as the function should see it: the path after <c>/{function}</c>, the query,
/// method, headers and body unchanged, plus the request id and the usual X-Forwarded headers.
/// </summary>
internal sealed class FunctionRequestTransformer : HttpTransformer
{
    public const string RequestIdHeader = "X-Epsilon-Request-Id";
    public const string TimedOutHeader = "X-Epsilon-Timed-Out";

    public static readonly FunctionRequestTransformer Instance = new();

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix,
        CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        var request = httpContext.Request;
        proxyRequest.RequestUri = RequestUtilities.MakeDestinationAddress(destinationPrefix, FunctionPath(request.Path), request.QueryString);
        proxyRequest.Headers.Host = null;
        var invocation = httpContext.Features.Get<InvocationFeature>()!;
        proxyRequest.Headers.Remove(RequestIdHeader);
        proxyRequest.Headers.TryAddWithoutValidation(RequestIdHeader, invocation.RequestId);
        proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-For", httpContext.Connection.RemoteIpAddress?.ToString());
        proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Proto", request.Scheme);
        proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Host", request.Host.Value);
        proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Prefix", "/" + invocation.Function);
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
        CancellationToken cancellationToken)
    {
        var invocation = httpContext.Features.Get<InvocationFeature>()!;
        if (proxyResponse is not null && proxyResponse.Headers.Contains(TimedOutHeader))
        {
            invocation.TimedOutInside = true;
        }

        var copy = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);

        // One request id whatever the function's own response says.
        httpContext.Response.Headers[RequestIdHeader] = invocation.RequestId;
        return copy;
    }

    /// <summary><c>/hello/a/b</c> is <c>/a/b</c> to the function; <c>/hello</c> is <c>/</c>.</summary>
    internal static PathString FunctionPath(PathString path)
    {
        var value = path.Value ?? "/";
        var next = value.IndexOf('/', 1);
        return next < 0 ? new PathString("/") : new PathString(value[next..]);
    }
}
