using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Epsilon.Gateway;

internal sealed partial class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex BaseDomainPattern();

    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Id) || options.Id.Length > 128)
        {
            failures.Add("Epsilon:Gateway:Id must be a name of at most 128 characters.");
        }

        if (string.IsNullOrWhiteSpace(options.Network))
        {
            failures.Add("Epsilon:Gateway:Network must name a Docker network.");
        }

        if (options.ContainerPort is <= 0 or > 65535)
        {
            failures.Add("Epsilon:Gateway:ContainerPort must be a TCP port.");
        }

        foreach (var (key, value) in new[]
                 {
                     ("ColdStartTimeout", options.ColdStartTimeout), ("ReadinessPollInterval", options.ReadinessPollInterval),
                     ("QueueTimeout", options.QueueTimeout), ("ReapInterval", options.ReapInterval), ("RefreshInterval", options.RefreshInterval),
                 })
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"Epsilon:Gateway:{key} must be positive.");
            }
        }

        if (options.ImageCollectInterval < TimeSpan.Zero)
        {
            failures.Add("Epsilon:Gateway:ImageCollectInterval must be 0 (off) or positive.");
        }

        if (options.MaxConcurrentStarts <= 0)
        {
            failures.Add("Epsilon:Gateway:MaxConcurrentStarts must be positive.");
        }

        if (options.MaxQueueLength < 0 || options.PidsLimit <= 0 || options.TimeoutGrace < TimeSpan.Zero)
        {
            failures.Add("Epsilon:Gateway:MaxQueueLength, PidsLimit and TimeoutGrace must not be negative.");
        }

        if (options.MaxTimeout <= TimeSpan.Zero || options.MaxTimeout > TimeSpan.FromDays(1))
        {
            failures.Add("Epsilon:Gateway:MaxTimeout must be positive and at most a day.");
        }

        if (options.MaxRequestBodySize <= 0 || options.MaxRequestHeadersTotalSize <= 0 || options.MaxRequestHeaderCount <= 0)
        {
            failures.Add("Epsilon:Gateway:MaxRequestBodySize, MaxRequestHeadersTotalSize and MaxRequestHeaderCount must be positive.");
        }

        if (options.RequestHeadersTimeout <= TimeSpan.Zero || options.MinRequestBodyDataRate < 0)
        {
            failures.Add("Epsilon:Gateway:RequestHeadersTimeout must be positive and MinRequestBodyDataRate not negative.");
        }

        foreach (var proxy in options.TrustedProxies)
        {
            if (!Invocation.TrustedProxies.TryParse(proxy, out _))
            {
                failures.Add($"Epsilon:Gateway:TrustedProxies: '{proxy}' is neither an IP address nor a CIDR network.");
            }
        }

        if (!Containers.ContainerLogSize.IsValid(options.ContainerLogMaxSize) || options.ContainerLogMaxFiles is < 1 or > 100)
        {
            failures.Add("Epsilon:Gateway:ContainerLogMaxSize must be a size like 10m, 512k or 1g, and ContainerLogMaxFiles 1 to 100.");
        }

        // A host name of lowercase labels, no port or scheme: matched against the Host of every call.
        if (options.BaseDomain.Length > 0 && (options.BaseDomain.Length > 200 || !BaseDomainPattern().IsMatch(options.BaseDomain)))
        {
            failures.Add($"Epsilon:Gateway:BaseDomain '{options.BaseDomain}' must be a lowercase domain name like fn.example.com (no scheme, port or wildcard), or empty.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
