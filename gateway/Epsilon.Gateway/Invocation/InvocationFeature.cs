namespace Epsilon.Gateway.Invocation;

/// <summary>Per-call state shared between the invocation handler and the transformer.</summary>
internal sealed class InvocationFeature(string function, string requestId, int prefixSegments, string prefix)
{
    /// <summary>The route's part of the path, e.g. <c>/hello</c>, sent as X-Forwarded-Prefix.</summary>
    public string Prefix { get; } = prefix;

    /// <summary>Path segments of the route before the function's own path: 1 for <c>/{function}</c>, 3 for <c>/invoke/{project}/{function}</c>.</summary>
    public int PrefixSegments { get; } = prefixSegments;

    public string Function { get; } = function;

    public string RequestId { get; } = requestId;

    /// <summary>The wrapper answered that the function timed out.</summary>
    public bool TimedOutInside { get; set; }
}
