using Microsoft.Extensions.Options;

namespace Epsilon.Core.Docker;

/// <summary>Checks <see cref="DockerClientOptions"/>: a <c>unix://</c> or <c>tcp://host:port</c> endpoint, a version, a positive timeout.</summary>
internal sealed class DockerClientOptionsValidator : IValidateOptions<DockerClientOptions>
{
    internal const string UnixScheme = "unix://";
    internal const string TcpScheme = "tcp://";

    public ValidateOptionsResult Validate(string? name, DockerClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = GetFailures(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static List<string> GetFailures(DockerClientOptions options)
    {
        var failures = new List<string>();
        var endpoint = options.Endpoint ?? "";
        if (endpoint.StartsWith(UnixScheme, StringComparison.Ordinal))
        {
            if (endpoint.Length == UnixScheme.Length)
            {
                failures.Add($"{DockerClientOptions.SectionName}:Endpoint '{endpoint}' names no socket path (unix:///var/run/docker.sock).");
            }
        }
        else if (endpoint.StartsWith(TcpScheme, StringComparison.Ordinal))
        {
            if (!TryGetTcpAuthority(endpoint, out _))
            {
                failures.Add($"{DockerClientOptions.SectionName}:Endpoint '{endpoint}' must be tcp://host:port.");
            }
        }
        else
        {
            failures.Add($"{DockerClientOptions.SectionName}:Endpoint '{endpoint}' must start with unix:// or tcp://.");
        }

        if (string.IsNullOrWhiteSpace(options.ApiVersion) || !Version.TryParse(options.ApiVersion, out _))
        {
            failures.Add($"{DockerClientOptions.SectionName}:ApiVersion '{options.ApiVersion}' must be a version such as 1.41.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{DockerClientOptions.SectionName}:RequestTimeout must be positive.");
        }

        return failures;
    }

    /// <summary>The <c>host:port</c> of a <c>tcp://</c> endpoint, checked by parsing it as an HTTP address.</summary>
    internal static bool TryGetTcpAuthority(string endpoint, out string authority)
    {
        authority = "";
        var rest = endpoint[TcpScheme.Length..].TrimEnd('/');
        if (!Uri.TryCreate("http://" + rest, UriKind.Absolute, out var uri)
            || uri.AbsolutePath != "/"
            || !string.IsNullOrEmpty(uri.Query)
            || !rest.EndsWith($":{uri.Port}", StringComparison.Ordinal))
        {
            return false;
        }

        authority = uri.Authority;
        return true;
    }
}
