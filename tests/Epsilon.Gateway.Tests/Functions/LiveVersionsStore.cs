using Epsilon.Core.Model;
using Epsilon.Core.Store;

namespace Epsilon.Gateway.Functions;

/// <summary>
/// A store that only knows which versions are live, the aliases and other ready versions, as the test sets them, and a
/// fleet of none: all a gateway reads.
/// </summary>
internal sealed class LiveVersionsStore : IFunctionStore, IFleetStore, IFunctionKeyStore, IFunctionConfigStore, IAliasStore
{
    public IReadOnlyList<Core.Secrets.StoredSecret> Secrets { get; set; } = [];

    public Task<IReadOnlyList<Core.Secrets.StoredSecret>> ListStoredSecretsAsync(CancellationToken cancellationToken = default) => Task.FromResult(Secrets);

    public Task<ConfigChangeResult> ChangeEnvAsync(string function, IReadOnlyDictionary<string, string> set, IReadOnlyCollection<string> unset,
        CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ConfigChangeResult> SetSecretAsync(string function, string name, Core.Secrets.EncryptedSecret value, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<ConfigChangeResult> RemoveSecretAsync(string function, string name, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<EnvOverride>> ListEnvOverridesAsync(string function, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<SecretInfo>> ListSecretsAsync(string function, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public IReadOnlyList<FunctionAlias> Aliases { get; set; } = [];

    /// <summary>Ready versions besides the live ones, for aliases and direct calls.</summary>
    public IReadOnlyList<FunctionVersion> Versions { get; set; } = [];

    /// <summary>How many times a version was read.</summary>
    public int VersionReads;

    public Task<IReadOnlyList<FunctionAlias>> ListAliasesAsync(string? function, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<FunctionAlias>>(Aliases.Where(a => function is null || a.Function == function).ToList());

    public Task<FunctionVersion?> GetVersionAsync(string function, int version, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref VersionReads);
        return Task.FromResult(Versions.Concat(Live).FirstOrDefault(v => v.Function == function && v.Version == version));
    }

    public Task<AliasResult> SetAliasAsync(string function, string alias, IReadOnlyDictionary<int, int> weights, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<AliasResult> DeleteAliasAsync(string function, string alias, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<int>> ListKeptVersionsAsync(string function, int rollbackWindow, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public IReadOnlyList<(string Function, string Hash)> KeyHashes { get; set; } = [];

    public Task<IReadOnlyList<(string Function, string Hash)>> ListValidKeyHashesAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(KeyHashes);

    public Task<Core.Auth.FunctionKey> CreateFunctionKeyAsync(string function, string name, string hash, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<Core.Auth.FunctionKey>> ListFunctionKeysAsync(string function, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<bool> RevokeFunctionKeyAsync(string function, string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public long Revision { get; set; }

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken = default) => Task.FromResult(Revision);

    public Task RegisterGatewayAsync(GatewayMember member, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<bool> HeartbeatAsync(string id, GatewayState state, long servedRevision, CancellationToken cancellationToken = default) =>
        Task.FromResult(true);

    public Task DeregisterGatewayAsync(string id, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<GatewayMember>> ListGatewaysAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<GatewayMember>>([]);

    public async Task<bool> WaitForSignalAsync(StoreSignal signal, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await Task.Delay(timeout, cancellationToken);
        return false;
    }

    public Task SignalAsync(StoreSignal signal, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public IReadOnlyList<FunctionVersion> Live { get; set; } = [];

    public Task<IReadOnlyList<FunctionVersion>> ListLiveVersionsAsync(CancellationToken cancellationToken = default) => Task.FromResult(Live);

    public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<Deployment> CreateDeploymentAsync(string repository, string? gitRef, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<FunctionVersion>> ReserveVersionsAsync(string deploymentId, string repository,
        IReadOnlyList<KeyValuePair<string, FunctionConfig>> functions, Func<string, int, string> imageFor,
        IReadOnlyDictionary<string, string>? sourceKeys = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task CompleteUnchangedDeploymentAsync(string deploymentId, string? commit, string log, IReadOnlyList<DeployedFunction> unchanged,
        CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<VersionEntry>> ListVersionsAsync(string function, bool includeDeleted, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<RollbackResult> RollbackAsync(string function, int? version, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<DeletedFunction?> DeleteFunctionAsync(string function, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<long> CompleteDeploymentAsync(string deploymentId, bool succeeded, string? commit, string? error, string log,
        CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<int> FailInterruptedDeploymentsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Deployment?> GetDeploymentAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<FunctionInfo>> ListFunctionsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<FunctionInfo?> GetFunctionAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
