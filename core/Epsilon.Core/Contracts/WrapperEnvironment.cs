namespace Epsilon.Core.Contracts;

/// <summary>
/// Environment variables a wrapper runtime reads (wrapper-runtime/PROTOCOL.md). The image sets the function's own
/// (the runtimes' Dockerfile templates), the gateway adds the timeout, the function's env (manifest and overrides) and its
/// decrypted secrets when it creates a container.
/// </summary>
public static class WrapperEnvironment
{
    /// <summary>Names starting with this are the platform's: a manifest's <c>env</c> may not set them.</summary>
    public const string ReservedPrefix = "EPSILON_";

    /// <summary>The function's name (set by the image): log lines, the readiness answer, messages.</summary>
    public const string FunctionName = "EPSILON_FUNCTION_NAME";

    /// <summary>The handler's file, project or package folder (set by the image).</summary>
    public const string HandlerFile = "EPSILON_HANDLER_FILE";

    /// <summary>The handler's export, type or function name (set by the image).</summary>
    public const string HandlerExport = "EPSILON_HANDLER_EXPORT";

    /// <summary>The manifest's <c>style:</c> (set by the image); empty: the runtime detects it.</summary>
    public const string Style = "EPSILON_STYLE";

    /// <summary>The function's timeout in whole milliseconds (set by the gateway when the manifest has <c>timeout:</c>).</summary>
    public const string TimeoutMs = "EPSILON_TIMEOUT_MS";

    /// <summary><c>1</c>: load the function, report, exit (the image build's load check, for runtimes that run it so).</summary>
    public const string Check = "EPSILON_CHECK";

    /// <summary>The port to listen on instead of <see cref="WrapperProtocol.Port"/> (the runtimes' own tests use it).</summary>
    public const string Port = "PORT";
}
