using System.Collections.Frozen;
using Epsilon.Core.Model;

namespace Epsilon.Gateway.Functions;

/// <summary>An immutable snapshot of every function's live version, swapped whole when the store changes.</summary>
internal sealed class FunctionTable(FrozenDictionary<string, FunctionVersion> live, long loadedAt)
{
    public static readonly FunctionTable Empty = new(FrozenDictionary<string, FunctionVersion>.Empty, 0);

    /// <summary>Live versions by function name.</summary>
    public FrozenDictionary<string, FunctionVersion> Live { get; } = live;

    /// <summary>When it was loaded, as a <see cref="TimeProvider"/> timestamp.</summary>
    public long LoadedAt { get; } = loadedAt;
}
