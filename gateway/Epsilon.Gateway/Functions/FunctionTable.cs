using System.Collections.Frozen;
using Epsilon.Core.Model;
using Epsilon.Core.Secrets;

namespace Epsilon.Gateway.Functions;

/// <summary>
/// An immutable snapshot of every function's live version, its aliases (a weighted live among them) and the hashes of its
/// valid keys, swapped whole when the store changes: a call to a function that is not public is checked against it,
/// never against the store.
/// </summary>
internal sealed class FunctionTable(FrozenDictionary<string, FunctionVersion> live, long loadedAt,
    FrozenDictionary<string, FrozenSet<string>>? keys = null, FrozenDictionary<string, FrozenDictionary<string, EncryptedSecret>>? secrets = null,
    FrozenDictionary<string, FrozenDictionary<string, AliasRoute>>? aliases = null)
{
    public static readonly FunctionTable Empty = new(FrozenDictionary<string, FunctionVersion>.Empty, 0);

    /// <summary>Live versions by function name (a split live's heaviest version).</summary>
    public FrozenDictionary<string, FunctionVersion> Live { get; } = live;

    /// <summary>The SHA-256 hashes of each function's valid keys, by function name.</summary>
    public FrozenDictionary<string, FrozenSet<string>> Keys { get; } = keys ?? FrozenDictionary<string, FrozenSet<string>>.Empty;

    /// <summary>Each function's secrets, still encrypted, by function and secret name: decrypted only when a container starts.</summary>
    public FrozenDictionary<string, FrozenDictionary<string, EncryptedSecret>> Secrets { get; } =
        secrets ?? FrozenDictionary<string, FrozenDictionary<string, EncryptedSecret>>.Empty;

    /// <summary>Each function's stored aliases by name: named ones, and <c>live</c> when it is split.</summary>
    public FrozenDictionary<string, FrozenDictionary<string, AliasRoute>> Aliases { get; } =
        aliases ?? FrozenDictionary<string, FrozenDictionary<string, AliasRoute>>.Empty;

    /// <summary>When it was loaded, as a <see cref="TimeProvider"/> timestamp.</summary>
    public long LoadedAt { get; } = loadedAt;

    /// <summary>Whether <paramref name="keyHash"/> is a valid key of <paramref name="function"/>.</summary>
    public bool HasKey(string function, string keyHash) => Keys.TryGetValue(function, out var hashes) && hashes.Contains(keyHash);

    /// <summary>The route of <paramref name="function"/>'s alias <paramref name="alias"/>, if it has one.</summary>
    public AliasRoute? FindAlias(string function, string alias) =>
        Aliases.TryGetValue(function, out var routes) && routes.TryGetValue(alias, out var route) ? route : null;

    /// <summary>Whether <paramref name="version"/> of <paramref name="function"/> is live or an alias target: its pool stays.</summary>
    public bool Reaches(string function, int version) =>
        (Live.TryGetValue(function, out var live) && live.Version == version)
        || (Aliases.TryGetValue(function, out var routes) && routes.Values.Any(r => r.Versions.Any(v => v.Version == version)));

    /// <summary>Whether the two tables send calls to the same versions (keys aside).</summary>
    public bool RoutesLike(FunctionTable other) =>
        Live.Count == other.Live.Count && Live.All(p => other.Live.TryGetValue(p.Key, out var v) && v.Version == p.Value.Version)
        && Aliases.Count == other.Aliases.Count && Aliases.All(p => other.Aliases.TryGetValue(p.Key, out var o) && SameRoutes(p.Value, o));

    private static bool SameRoutes(FrozenDictionary<string, AliasRoute> a, FrozenDictionary<string, AliasRoute> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var r)
            && r.Versions.Select(v => v.Version).SequenceEqual(p.Value.Versions.Select(v => v.Version)) && r.Weights.SequenceEqual(p.Value.Weights));
}
