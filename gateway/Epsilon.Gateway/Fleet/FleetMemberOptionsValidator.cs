using Microsoft.Extensions.Options;

namespace Epsilon.Gateway.Fleet;

/// <summary>Checks <see cref="FleetMemberOptions"/> at start.</summary>
internal sealed class FleetMemberOptionsValidator : IValidateOptions<FleetMemberOptions>
{
    public ValidateOptionsResult Validate(string? name, FleetMemberOptions options)
    {
        var failures = new List<string>();
        if (options.AdvertisedUrl is { Length: > 0 } url
            && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/"))
        {
            failures.Add($"Epsilon:Gateway:Fleet:AdvertisedUrl '{url}' must be an http(s) base URL such as http://10.0.1.7:8080.");
        }

        if (options.PeerCaPath is { Length: > 0 } caPath)
        {
            try
            {
                if (PeerCertificates.LoadCa(caPath).Count == 0)
                {
                    failures.Add($"Epsilon:Gateway:Fleet:PeerCaPath '{caPath}' holds no PEM certificate.");
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                failures.Add($"Epsilon:Gateway:Fleet:PeerCaPath '{caPath}' cannot be read as PEM certificates: {ex.Message}");
            }
        }

        if (options.MaxContainers is < 1)
        {
            failures.Add($"Epsilon:Gateway:Fleet:MaxContainers must be at least 1 (was {options.MaxContainers}).");
        }

        if (options.MaxMemoryBytes is < 1)
        {
            failures.Add($"Epsilon:Gateway:Fleet:MaxMemoryBytes must be positive (was {options.MaxMemoryBytes}).");
        }

        if (options.SaturationHintTtl <= TimeSpan.Zero || options.DrainDelay < TimeSpan.Zero || options.DrainTimeout < TimeSpan.Zero)
        {
            failures.Add("Epsilon:Gateway:Fleet:SaturationHintTtl must be positive, DrainDelay and DrainTimeout not negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
