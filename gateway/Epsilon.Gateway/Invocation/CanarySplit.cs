using System.IO.Hashing;
using System.Text;

namespace Epsilon.Gateway.Invocation;

/// <summary>
/// Which side of a weighted alias a caller lands on: a stable hash of the function and the caller's key, so one caller
/// keeps one version while the weights hold, on every gateway and across restarts (never string.GetHashCode, which is
/// randomized per process).
/// </summary>
internal static class CanarySplit
{
    /// <summary>The header a caller names itself with, for a split that follows users rather than addresses.</summary>
    public const string CallerHeader = "X-Epsilon-Caller";

    /// <summary>The cookie read when the header is absent.</summary>
    public const string CallerCookie = "epsilon-caller";

    /// <summary>The caller's bucket, 0..99, for <paramref name="function"/>.</summary>
    public static int Bucket(string function, string callerKey)
    {
        var bytes = Encoding.UTF8.GetBytes($"{function}\n{callerKey}");
        return (int)(XxHash3.HashToUInt64(bytes) % 100);
    }

    /// <summary>The caller's key: the <see cref="CallerHeader"/>, else the <see cref="CallerCookie"/>, else the client address.</summary>
    public static string CallerKey(HttpContext context)
    {
        var header = context.Request.Headers[CallerHeader].ToString();
        if (header.Length > 0)
        {
            return header;
        }

        return context.Request.Cookies.TryGetValue(CallerCookie, out var cookie) && !string.IsNullOrEmpty(cookie)
            ? cookie
            : context.Connection.RemoteIpAddress?.ToString() ?? "";
    }
}
