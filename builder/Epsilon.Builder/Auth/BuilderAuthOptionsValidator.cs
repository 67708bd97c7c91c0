using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Auth;

internal sealed class BuilderAuthOptionsValidator : IValidateOptions<BuilderAuthOptions>
{
    /// <summary>Shorter than this a secret could be guessed; what <see cref="Core.Auth.TokenSecret.Create"/> makes is 47.</summary>
    private const int MinimumBootstrapLength = 32;

    public ValidateOptionsResult Validate(string? name, BuilderAuthOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrEmpty(options.BootstrapToken) && options.BootstrapToken.Trim().Length < MinimumBootstrapLength)
        {
            // The value itself is never part of a message.
            failures.Add($"Epsilon:Builder:Auth:BootstrapToken must be at least {MinimumBootstrapLength} characters (e.g. from 'openssl rand -base64 32').");
        }

        if (!SourceAddressRule.TryParse(options.UnauthenticatedProjectSources, out _, out var error))
        {
            failures.Add(error!);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
