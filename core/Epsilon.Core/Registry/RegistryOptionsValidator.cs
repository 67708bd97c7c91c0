using Microsoft.Extensions.Options;

namespace Epsilon.Core.Registry;

/// <summary>
/// Static credentials come whole or not at all: a user name with exactly one of a password or a password file, which
/// must be readable at start. Checked at start so a half-configured registry fails there and not at the first push or
/// cold start. Never puts the password in a message.
/// </summary>
internal sealed class RegistryOptionsValidator : IValidateOptions<RegistryOptions>
{
    public ValidateOptionsResult Validate(string? name, RegistryOptions options)
    {
        if (options.Provider != RegistryProvider.Static)
        {
            return ValidateOptionsResult.Success;
        }

        var hasPassword = !string.IsNullOrEmpty(options.Password);
        var hasFile = !string.IsNullOrEmpty(options.PasswordFile);
        if (hasPassword && hasFile)
        {
            return ValidateOptionsResult.Fail("Set one of Epsilon:Registry:Password and Epsilon:Registry:PasswordFile, not both.");
        }

        if (string.IsNullOrEmpty(options.Username))
        {
            return hasPassword || hasFile
                ? ValidateOptionsResult.Fail("Epsilon:Registry:Password or PasswordFile is set without Epsilon:Registry:Username.")
                : ValidateOptionsResult.Success;
        }

        if (!hasPassword && !hasFile)
        {
            return ValidateOptionsResult.Fail("Epsilon:Registry:Username is set without Epsilon:Registry:Password or PasswordFile.");
        }

        if (hasFile)
        {
            try
            {
                using var file = File.OpenRead(options.PasswordFile!);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return ValidateOptionsResult.Fail($"Epsilon:Registry:PasswordFile '{options.PasswordFile}' cannot be read: {ex.Message}");
            }
        }

        return ValidateOptionsResult.Success;
    }
}
