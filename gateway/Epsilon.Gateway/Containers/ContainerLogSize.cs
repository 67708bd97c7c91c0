using System.Text.RegularExpressions;

namespace Epsilon.Gateway.Containers;

/// <summary>Docker's log sizes: a whole number with <c>k</c>, <c>m</c> or <c>g</c> (json-file's <c>max-size</c>).</summary>
internal static partial class ContainerLogSize
{
    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    [GeneratedRegex(@"^[1-9][0-9]{0,5}[kmg]\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
