using System.Text.RegularExpressions;

namespace Epsilon.Gateway.Invocation;

/// <summary>
/// Request ids: a caller's <c>X-Epsilon-Request-Id</c> is kept only when it is 1 to 64 letters, digits, <c>-</c> or
/// <c>_</c> (a UUID, a trace id), since it lands in logs, in the function's event and in the answer; anything else is
/// replaced by a new one.
/// </summary>
internal static partial class RequestIds
{
    /// <summary>The caller's id when it has the strict form, a new one otherwise.</summary>
    public static string FromCaller(string? value) => value is not null && Format().IsMatch(value) ? value : New();

    public static string New() => Guid.NewGuid().ToString("N");

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Format();
}
