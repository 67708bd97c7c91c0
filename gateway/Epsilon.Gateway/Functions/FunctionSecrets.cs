using System.Security.Cryptography;
using Epsilon.Core.Model;
using Epsilon.Core.Secrets;
using Epsilon.Gateway.Containers;

namespace Epsilon.Gateway.Functions;

/// <summary>
/// The secrets a container of a version gets as environment variables, decrypted at its start from the ones loaded with
/// the function table, so a cold start never reads the store. Values live only in the container's environment: never in
/// a log, an answer or an image.
/// </summary>
/// <param name="table">The current function table (<see cref="FunctionTableProvider.Current"/>).</param>
/// <param name="cipher">Decrypts the values.</param>
/// <param name="logger">Where a missing secret is noted.</param>
internal sealed partial class FunctionSecrets(Func<FunctionTable> table, SecretCipher cipher, ILogger<FunctionSecrets> logger)
{
    /// <summary><c>NAME=value</c> of each secret the version names that the function still has.</summary>
    /// <exception cref="ColdStartException">A secret does not decrypt (no key, or not the builder's).</exception>
    public IReadOnlyList<string> EnvironmentOf(FunctionVersion version)
    {
        if (version.Config.Secrets is not { Count: > 0 } names)
        {
            return [];
        }

        var stored = table().Secrets.GetValueOrDefault(version.Function);
        var environment = new List<string>(names.Count);
        foreach (var name in names)
        {
            // A version made before a secret was removed (made live again by a rollback) runs without it.
            if (stored?.GetValueOrDefault(name) is not { } secret)
            {
                Log.Missing(logger, version.Function, version.Version, name);
                continue;
            }

            try
            {
                environment.Add($"{name}={cipher.Decrypt(version.Function, name, secret)}");
            }
            catch (Exception ex) when (ex is CryptographicException or InvalidOperationException)
            {
                throw new ColdStartException(cipher.IsConfigured
                    ? $"function '{version.Function}' could not be started: its secret '{name}' does not decrypt with this gateway's key (Epsilon:Secrets); the builder's must be the same"
                    : $"function '{version.Function}' could not be started: it has secrets and this gateway has no key ({cipher.Problem})");
            }
        }

        return environment;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1010, Level = LogLevel.Warning,
            Message = "Function '{Function}' v{Version} names secret '{Secret}', which it no longer has; its container starts without it.")]
        public static partial void Missing(ILogger logger, string function, int version, string secret);
    }
}
