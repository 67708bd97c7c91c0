using System.Collections.Frozen;
using Epsilon.Core.Model;
using Epsilon.Core.Secrets;

namespace Epsilon.Gateway.Functions;

/// <summary>
/// An immutable snapshot of every function's live version and the hashes of its valid keys, swapped whole when the store
/// changes: a call to a function that is not public is checked against it, never against the store.
/// </summary>
internal sealed class FunctionTable(FrozenDictionary<string, FunctionVersion> live, long loadedAt,
    FrozenDictionary<string, FrozenSet<string>>? keys = null, FrozenDictionary<string, FrozenDictionary<string, EncryptedSecret>>? secrets = null)
{
    public static readonly FunctionTable Empty = new(FrozenDictionary<string, FunctionVersion>.Empty, 0);

    /// <summary>Live versions by function name.</summary>
    public FrozenDictionary<string, FunctionVersion> Live { get; } = live;

    /// <summary>The SHA-256 hashes of each function's valid keys, by function name.</summary>
    public FrozenDictionary<string, FrozenSet<string>> Keys { get; } = keys ?? FrozenDictionary<string, FrozenSet<string>>.Empty;

    /// <summary>Each function's secrets, still encrypted, by function and secret name: decrypted only when a container starts.</summary>
    public FrozenDictionary<string, FrozenDictionary<string, EncryptedSecret>> Secrets { get; } =
        secrets ?? FrozenDictionary<string, FrozenDictionary<string, EncryptedSecret>>.Empty;

    /// <summary>When it was loaded, as a <see cref="TimeProvider"/> timestamp.</summary>
    public long LoadedAt { get; } = loadedAt;

    /// <summary>Whether <paramref name="keyHash"/> is a valid key of <paramref name="function"/>.</summary>
    public bool HasKey(string function, string keyHash) => Keys.TryGetValue(function, out var hashes) && hashes.Contains(keyHash);
}
