using Epsilon.Builder.Deployments;
using Epsilon.Core.Model;
using Epsilon.Core.Secrets;
using Epsilon.Core.Store;

namespace Epsilon.Builder.Functions;

/// <summary>
/// Env and secret changes without a redeploy: the store makes a new version from the live one and makes it live, and the
/// answer waits until every live gateway serves it, as a rollback's does. Gateways start the new version's containers
/// with the new values and drain the old version's. Values are never logged: the log and the change's deployment name
/// the variables only.
/// </summary>
internal sealed partial class ConfigChanges(IFunctionConfigStore store, SecretCipher cipher, RolloutWaiter rollout, ILogger<ConfigChanges> logger)
{
    /// <summary>Why secrets cannot be set on this builder (naming the setting); null when they can.</summary>
    public string? SecretsUnavailable => cipher.IsConfigured ? null : cipher.Problem;

    public Task<(ConfigChangeResult Result, Rollout? Rollout)> ChangeEnvAsync(string function, IReadOnlyDictionary<string, string> set,
        IReadOnlyCollection<string> unset, CancellationToken cancellationToken) =>
        ServeAsync(function, store.ChangeEnvAsync(function, set, unset, cancellationToken), cancellationToken);

    public Task<(ConfigChangeResult Result, Rollout? Rollout)> SetSecretAsync(string function, string name, string value, CancellationToken cancellationToken) =>
        ServeAsync(function, store.SetSecretAsync(function, name, cipher.Encrypt(function, name, value), cancellationToken), cancellationToken);

    public Task<(ConfigChangeResult Result, Rollout? Rollout)> RemoveSecretAsync(string function, string name, CancellationToken cancellationToken) =>
        ServeAsync(function, store.RemoveSecretAsync(function, name, cancellationToken), cancellationToken);

    private async Task<(ConfigChangeResult Result, Rollout? Rollout)> ServeAsync(string function, Task<ConfigChangeResult> change,
        CancellationToken cancellationToken)
    {
        var result = await change.ConfigureAwait(false);
        if (result.Outcome != ConfigChangeOutcome.Done)
        {
            return (result, null);
        }

        Log.Changed(logger, function, result.To!.Value, result.From, result.DeploymentId!);
        return (result, await rollout.WaitAsync(result.Revision, cancellationToken).ConfigureAwait(false));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 330, Level = LogLevel.Information,
            Message = "Function '{Function}' v{Version} is live: v{From} with changed env or secrets (deployment '{DeploymentId}').")]
        public static partial void Changed(ILogger logger, string function, int version, int? from, string deploymentId);
    }
}
