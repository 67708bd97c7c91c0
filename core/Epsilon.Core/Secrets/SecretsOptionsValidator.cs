using Microsoft.Extensions.Options;

namespace Epsilon.Core.Secrets;

/// <summary>Checks <see cref="SecretsOptions"/> at start: a configured key must be readable and 32 bytes; none at all is allowed.</summary>
internal sealed class SecretsOptionsValidator : IValidateOptions<SecretsOptions>
{
    public ValidateOptionsResult Validate(string? name, SecretsOptions options) =>
        options.Configured && options.Resolve().Problem is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
