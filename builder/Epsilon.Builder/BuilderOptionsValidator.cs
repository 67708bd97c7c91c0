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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
