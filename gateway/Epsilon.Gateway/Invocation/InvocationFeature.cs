namespace Epsilon.Gateway.Invocation;

/// <summary>Per-call state shared between the invocation handler and the transformer.</summary>
internal sealed class InvocationFeature(string function, string requestId)
{
    public string Function { get; } = function;

    public string RequestId { get; } = requestId;

    /// <summary>The wrapper answered that the function timed out.</summary>
    public bool TimedOutInside { get; set; }
}
