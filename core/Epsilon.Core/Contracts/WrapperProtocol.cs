namespace Epsilon.Core.Contracts;

/// <summary>
/// How the gateway and the builder reach a function's in-container server (the wrapper runtime). The whole contract,
/// with what each runtime does, is wrapper-runtime/PROTOCOL.md; the names the processes share live here and in
/// <see cref="WrapperHeaders"/> and <see cref="WrapperEnvironment"/>.
/// </summary>
public static class WrapperProtocol
{
    /// <summary>The TCP port every wrapper listens on inside its container (unless <c>PORT</c> says otherwise).</summary>
    public const int Port = 8080;

    /// <summary>
    /// The readiness endpoint: <c>GET</c> answers <c>200 {"status":"ready","function":"&lt;name&gt;","timeoutMs":N}</c>
    /// once the function is loaded; every other path is the function's.
    /// </summary>
    public const string ReadyPath = "/_epsilon/ready";

    /// <summary>The readiness answer's property holding the function's timeout in milliseconds, as the wrapper enforces it.</summary>
    public const string ReadyTimeoutMsProperty = "timeoutMs";

    /// <summary>
    /// What starts each line a wrapper's build-time check (or dependency install) prints about a function it refuses,
    /// <c>epsilon: function '&lt;name&gt;': &lt;reason&gt;</c>; the builder reports the last such line of a failed build.
    /// </summary>
    public const string CheckErrorPrefix = "epsilon: ";
}
