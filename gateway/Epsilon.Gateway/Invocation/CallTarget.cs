using Epsilon.Core.Model;

namespace Epsilon.Gateway.Invocation;

/// <summary>
/// What a call names: a function and, optionally, one of its aliases or versions (<c>beta</c>, <c>v7</c>), from the path's
/// first segment (<c>/fn@beta/...</c>) or from the Host (<c>fn.base</c>, <c>beta.fn.base</c>, as workerd-faas routes).
/// </summary>
/// <param name="Function">The function's name (not yet checked).</param>
/// <param name="Selector">The alias or <c>vN</c>; null for live.</param>
internal readonly record struct CallTarget(string Function, string? Selector)
{
    /// <summary>The target of a path's first segment, <c>fn</c> or <c>fn@selector</c>; null for an empty selector.</summary>
    public static CallTarget? FromSegment(string segment)
    {
        var at = segment.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            return new CallTarget(segment, null);
        }

        var selector = segment[(at + 1)..];
        return selector.Length == 0 ? null : new CallTarget(segment[..at], selector);
    }

    /// <summary>
    /// The target a host under <paramref name="baseDomain"/> names: one label is a function, two an alias or version and a
    /// function; null for any other host (or when host routing is off).
    /// </summary>
    public static CallTarget? FromHost(string host, string? baseDomain)
    {
        if (string.IsNullOrEmpty(baseDomain) || host.Length <= baseDomain.Length + 1
            || !host.EndsWith(baseDomain, StringComparison.OrdinalIgnoreCase) || host[^(baseDomain.Length + 1)] != '.')
        {
            return null;
        }

        var labels = host[..^(baseDomain.Length + 1)].ToLowerInvariant().Split('.');
        return labels switch
        {
            [var function] when function.Length > 0 => new CallTarget(function, null),
            [var selector, var function] when function.Length > 0 && selector.Length > 0 => new CallTarget(function, selector),
            _ => null,
        };
    }

    /// <summary>Whether the selector names a version (<c>v7</c>) rather than an alias.</summary>
    public bool NamesVersion(out int version)
    {
        version = 0;
        return Selector is not null && AliasName.TryParseVersion(Selector, out version);
    }
}
