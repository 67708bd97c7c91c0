namespace Epsilon.Core.Contracts;

/// <summary>HTTP headers between the gateway and a wrapper runtime (wrapper-runtime/PROTOCOL.md).</summary>
public static class WrapperHeaders
{
    /// <summary>
    /// The call's id: the gateway sends it on every forwarded call, the wrapper puts it on each log line of the call and
    /// echoes it on the response (and makes one up when a call comes without it).
    /// </summary>
    public const string RequestId = "X-Epsilon-Request-Id";

    /// <summary>
    /// On a wrapper's <c>504 FunctionTimedOut</c>: the function did not answer within its timeout and may still be
    /// running, so the gateway retires the container. Its value is <see cref="TimedOutValue"/>.
    /// </summary>
    public const string TimedOut = "X-Epsilon-Timed-Out";

    /// <summary>The value of <see cref="TimedOut"/>.</summary>
    public const string TimedOutValue = "true";

    /// <summary>The caller's address as the gateway saw it; wrappers believe it only from a private peer address.</summary>
    public const string ForwardedFor = "X-Forwarded-For";

    /// <summary>The scheme the caller used.</summary>
    public const string ForwardedProto = "X-Forwarded-Proto";

    /// <summary>The host (and port) the caller used.</summary>
    public const string ForwardedHost = "X-Forwarded-Host";

    /// <summary>The path prefix the gateway took off (<c>/hello</c>, <c>/invoke/&lt;project&gt;/&lt;function&gt;</c>).</summary>
    public const string ForwardedPrefix = "X-Forwarded-Prefix";
}
