using Epsilon.Core.Auth;

namespace Epsilon.Core.Store;

/// <summary>Function keys: the builder makes and revokes them, gateways load the valid ones' hashes with their function table.</summary>
public interface IFunctionKeyStore
{
    /// <summary>Records a key of <paramref name="function"/> whose secret hashes to <paramref name="hash"/>.</summary>
    Task<FunctionKey> CreateFunctionKeyAsync(string function, string name, string hash, CancellationToken cancellationToken = default);

    /// <summary>The keys of <paramref name="function"/>, revoked ones included, oldest first.</summary>
    Task<IReadOnlyList<FunctionKey>> ListFunctionKeysAsync(string function, CancellationToken cancellationToken = default);

    /// <summary>Revokes a key of <paramref name="function"/>; false when it has no valid key with that id.</summary>
    Task<bool> RevokeFunctionKeyAsync(string function, string id, CancellationToken cancellationToken = default);

    /// <summary>Every valid key's function and hash: what gateways check calls against.</summary>
    Task<IReadOnlyList<(string Function, string Hash)>> ListValidKeyHashesAsync(CancellationToken cancellationToken = default);
}
