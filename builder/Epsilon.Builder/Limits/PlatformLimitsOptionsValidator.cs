using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Limits;

internal sealed class PlatformLimitsOptionsValidator : IValidateOptions<PlatformLimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, PlatformLimitsOptions options)
    {
        var failures = new List<string>();
        if (options.MaxMemoryBytes is <= 0 || options.MaxCpu is <= 0 || options.MaxContainersPerFunction is <= 0)
        {
            failures.Add("Epsilon:Limits:MaxMemoryBytes, MaxCpu and MaxContainersPerFunction must be positive when set.");
        }

        if (options.MaxMinWarm < 0 || options.MaxFunctionsPerRepository <= 0)
        {
            failures.Add("Epsilon:Limits:MaxMinWarm must not be negative and MaxFunctionsPerRepository must be positive.");
        }

        if (options.MaxTimeout <= TimeSpan.Zero)
        {
            failures.Add("Epsilon:Limits:MaxTimeout must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
