using System.Text.RegularExpressions;

namespace Epsilon.Core.Model;

/// <summary>
/// Alias names: <c>[a-z][a-z0-9-]{0,30}</c>, so they fit a URL path and a host label, and never <c>v</c> followed by digits,
/// which names a version in <c>/fn@v7/</c>.
/// </summary>
public static partial class AliasName
{
    /// <summary>The alias plain calls go to.</summary>
    public const string Live = "live";

    /// <summary>Most versions one alias splits calls between.</summary>
    public const int MaxTargets = 5;

    /// <summary>Whether <paramref name="name"/> is a valid alias name.</summary>
    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name) && !LooksLikeVersion(name);

    /// <summary>
    /// Whether <paramref name="selector"/> has a version's form, <c>v</c> and digits, even one no version can have
    /// (<c>v0</c>, <c>v99999999999</c>): such a selector is never an alias, so a call to it is told of versions.
    /// </summary>
    public static bool LooksLikeVersion(string selector) =>
        selector.Length > 1 && selector[0] == 'v' && selector.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>Whether <paramref name="selector"/> names a version (<c>v7</c>), and which.</summary>
    public static bool TryParseVersion(string selector, out int version)
    {
        version = 0;
        return selector.Length is > 1 and <= 10 && selector[0] == 'v' && selector.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0
            && int.TryParse(selector.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out version)
            && version > 0;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,30}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
