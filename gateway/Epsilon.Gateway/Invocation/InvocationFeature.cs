namespace Epsilon.Gateway.Invocation;

/// <summary>Per-call state shared between the invocation handler and the transformer.</summary>
internal sealed class InvocationFeature(string function, string requestId, int prefixSegments, string prefix)
{
    /// <summary>The route's part of the path, e.g. <c>/hello</c> or <c>/hello@beta</c>, sent as X-Forwarded-Prefix; empty for a Host route.</summary>
    public string Prefix { get; } = prefix;

    /// <summary>Path segments of the route before the function's own path: 1 for <c>/{function}</c>, 3 for <c>/invoke/{project}/{function}</c>, 0 for a Host route.</summary>
    public int PrefixSegments { get; } = prefixSegments;

    public string Function { get; } = function;

    public string RequestId { get; } = requestId;

    /// <summary>The version serving the call, answered in <c>X-Epsilon-Version</c>.</summary>
    public int Version { get; set; }

    /// <summary>The wrapper answered that the function timed out.</summary>
    public bool TimedOutInside { get; set; }
}
