using Epsilon.Aws;
using Microsoft.Extensions.Options;

namespace Epsilon.Gateway.Aws;

/// <summary>Checks the lifecycle hook's settings at start, with the region Auto Scaling's endpoint needs.</summary>
internal sealed class LifecycleHookOptionsValidator(IOptions<AwsOptions> aws) : IValidateOptions<LifecycleHookOptions>
{
    public ValidateOptionsResult Validate(string? name, LifecycleHookOptions options)
    {
        var failures = new List<string>();
        if (options.PollInterval <= TimeSpan.Zero)
        {
            failures.Add("Epsilon:Gateway:Aws:PollInterval must be positive.");
        }

        if (options.CompleteTimeout <= TimeSpan.Zero)
        {
            failures.Add("Epsilon:Gateway:Aws:CompleteTimeout must be positive.");
        }

        if (options.Enabled && string.IsNullOrEmpty(aws.Value.Region))
        {
            failures.Add("Epsilon:Gateway:Aws:LifecycleHookName needs the AWS region: set Epsilon:Aws:Region (or AWS_REGION).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
