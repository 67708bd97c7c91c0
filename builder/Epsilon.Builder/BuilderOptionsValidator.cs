using Microsoft.Extensions.Options;

namespace Epsilon.Builder;

internal sealed class BuilderOptionsValidator : IValidateOptions<BuilderOptions>
{
    public ValidateOptionsResult Validate(string? name, BuilderOptions options)
    {
        var failures = new List<string>();
        if (!Directory.Exists(options.RuntimesPath))
        {
            failures.Add($"Epsilon:Builder:RuntimesPath '{options.RuntimesPath}' does not exist.");
        }

        if (!Uri.TryCreate(options.GatewayUrl, UriKind.Absolute, out var gateway) || gateway.Scheme is not ("http" or "https"))
        {
            failures.Add($"Epsilon:Builder:GatewayUrl '{options.GatewayUrl}' is not an http(s) URL.");
        }

        if (options.CloneTimeout <= TimeSpan.Zero || options.BuildTimeout <= TimeSpan.Zero)
        {
            failures.Add("Epsilon:Builder:CloneTimeout and BuildTimeout must be positive.");
        }

        if (!string.IsNullOrEmpty(options.ExtraCaBundle) && !File.Exists(options.ExtraCaBundle))
        {
            failures.Add($"Epsilon:Builder:ExtraCaBundle '{options.ExtraCaBundle}' does not exist.");
        }

        if (options.MaxRepositoryBytes <= 0 || options.MaxConcurrentDeployments <= 0)
        {
            failures.Add("Epsilon:Builder:MaxRepositoryBytes and MaxConcurrentDeployments must be positive.");
        }

        if (options.AuditRetention < TimeSpan.FromDays(1))
        {
            // Shorter would delete entries before anyone has looked at them, which is the log's reason to exist.
            failures.Add($"Epsilon:Builder:AuditRetention '{options.AuditRetention}' must be at least a day (e.g. 90.00:00:00 for 90 days).");
        }

        // Not checked against BuildTimeout: an operator who lowers only that one keeps a valid configuration, and the
        // deployment's bound still ends a build that outlasts it.
        if (options.BuildImageTimeout <= TimeSpan.Zero)
        {
            failures.Add("Epsilon:Builder:BuildImageTimeout must be positive.");
        }

        // Docker refuses less than 6 MiB; a build step running npm or a compiler needs far more.
        if (options.BuildMemoryBytes < 64L * 1024 * 1024)
        {
            failures.Add("Epsilon:Builder:BuildMemoryBytes must be at least 64 MiB (67108864).");
        }

        if (!(options.BuildCpus >= 0.01 && options.BuildCpus <= 1024))
        {
            failures.Add("Epsilon:Builder:BuildCpus must be a number of cores between 0.01 and 1024.");
        }

        if (options.MaxQueuedDeployments < 0)
        {
            failures.Add("Epsilon:Builder:MaxQueuedDeployments must be 0 or more.");
        }

        if (options.BuildLogHeadCharacters <= 0 || options.BuildLogTailCharacters <= 0)
        {
            failures.Add("Epsilon:Builder:BuildLogHeadCharacters and BuildLogTailCharacters must be positive.");
        }

        if (options.ManifestMaxBytes <= 0 || options.ManifestMaxDepth <= 0 || options.ManifestMaxNodes <= 0 || options.ManifestParseTimeout <= TimeSpan.Zero)
        {
            failures.Add("Epsilon:Builder:ManifestMaxBytes, ManifestMaxDepth, ManifestMaxNodes and ManifestParseTimeout must be positive.");
        }

        if (options.RollbackWindow is < 0 or > 1000)
        {
            failures.Add($"Epsilon:Builder:RollbackWindow must be 0 to 1000 versions, not {options.RollbackWindow}.");
        }

        if (options.KeepVersions is < 0 or > 1000)
        {
            failures.Add($"Epsilon:Builder:KeepVersions must be 0 to 1000 versions, not {options.KeepVersions}.");
        }

        // A timer faster than a second would make the collector a busy loop over the store and the registry.
        if (options.CollectInterval < TimeSpan.Zero || (options.CollectInterval > TimeSpan.Zero && options.CollectInterval < TimeSpan.FromSeconds(1)))
        {
            failures.Add($"Epsilon:Builder:CollectInterval '{options.CollectInterval}' must be 0 (off) or at least a second (e.g. 01:00:00).");
        }

        if (options.DeploymentLogRetention <= TimeSpan.Zero)
        {
            failures.Add($"Epsilon:Builder:DeploymentLogRetention '{options.DeploymentLogRetention}' must be positive (e.g. 30.00:00:00 for 30 days).");
        }

        if (!string.IsNullOrEmpty(options.GitCaFile) && !File.Exists(options.GitCaFile))
        {
            failures.Add($"Epsilon:Builder:GitCaFile '{options.GitCaFile}' does not exist.");
        }

        for (var i = 0; i < options.GitCredentials.Count; i++)
        {
            var credential = options.GitCredentials[i];
            var key = $"Epsilon:Builder:GitCredentials:{i}";
            if (string.IsNullOrWhiteSpace(credential.Host) || credential.Host.Contains('/') || credential.Host.Contains('@')
                || Uri.CheckHostName(credential.Host.Split(':')[0]) == UriHostNameType.Unknown)
            {
                failures.Add($"{key}:Host '{credential.Host}' is not a host name (e.g. github.com or git.example.com:8443).");
            }

            if (string.IsNullOrEmpty(credential.Username) || credential.Username.Contains(':'))
            {
                failures.Add($"{key}:Username is required and may not hold ':'.");
            }

            if (string.IsNullOrEmpty(credential.Password) == string.IsNullOrEmpty(credential.PasswordFile))
            {
                failures.Add($"{key} needs exactly one of Password and PasswordFile.");
            }
            else if (!string.IsNullOrEmpty(credential.PasswordFile) && !File.Exists(credential.PasswordFile))
            {
                failures.Add($"{key}:PasswordFile '{credential.PasswordFile}' does not exist.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
