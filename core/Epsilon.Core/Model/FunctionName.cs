using System.Text.RegularExpressions;

namespace Epsilon.Core.Model;

/// <summary>
/// Function names: <c>[a-z][a-z0-9-]{0,62}</c>, so they are valid in a URL path, a host name and an image name; <c>invoke</c>
/// is reserved for the gateway's eserveless route.
/// </summary>
public static partial class FunctionName
{
    /// <summary>The name the gateway's eserveless route takes, which no function may have.</summary>
    public const string Reserved = "invoke";

    /// <summary>Whether <paramref name="name"/> is a valid function name.</summary>
    public static bool IsValid(string? name) => name is not null && name != Reserved && Pattern().IsMatch(name);

    [GeneratedRegex(@"^[a-z][a-z0-9-]{0,62}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
