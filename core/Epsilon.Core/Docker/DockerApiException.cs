using System.Net;
using System.Text.Json;

namespace Epsilon.Core.Docker;

/// <summary>
/// The daemon answered a request with an error status, or reported an error inside a streamed answer
/// (then <see cref="StatusCode"/> is the stream's own status, usually 200).
/// </summary>
public class DockerApiException : Exception
{
    /// <summary>Creates the exception from the daemon's answer.</summary>
    /// <param name="statusCode">The HTTP status of the answer.</param>
    /// <param name="responseBody">The answer's body, usually <c>{"message": "..."}</c>.</param>
    public DockerApiException(HttpStatusCode statusCode, string responseBody)
        : base(FormatMessage(statusCode, responseBody))
    {
        StatusCode = statusCode;
        ResponseBody = responseBody;
    }

    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The answer's body as received.</summary>
    public string ResponseBody { get; }

    /// <summary>The daemon's own message: the body's <c>message</c> (or a stream message's <c>error</c>), else the body.</summary>
    internal static string GetDaemonMessage(string responseBody)
    {
        if (string.IsNullOrWhiteSpace(responseBody))
        {
            return "(empty response)";
        }

        try
        {
            using var document = JsonDocument.Parse(responseBody);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var name in (ReadOnlySpan<string>)["message", "error"])
                {
                    if (document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                    {
                        return value.GetString()!;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not every error body is JSON (a proxy in front of a tcp:// endpoint, a plain-text 500).
        }

        return responseBody.Trim();
    }

    private static string FormatMessage(HttpStatusCode statusCode, string responseBody)
    {
        var message = GetDaemonMessage(responseBody);
        return (int)statusCode is >= 200 and < 300
            ? $"Docker reported an error: {message}"
            : $"Docker API responded with status code {(int)statusCode} ({statusCode}): {message}";
    }
}
