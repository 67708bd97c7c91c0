using System.Text.Json;
using Docker.DotNet;

namespace Epsilon.Core.Docker;

/// <summary>The daemon's own words in Docker.DotNet's errors, for messages meant for people.</summary>
public static class DockerApiExceptionExtensions
{
    /// <summary>
    /// The daemon's message: the error body's <c>message</c> (<c>No such container: 4f2a...</c>), else the body itself.
    /// Docker.DotNet's own message quotes the whole JSON body, which is noise in a caller's error.
    /// </summary>
    public static string GetDaemonMessage(this DockerApiException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var body = exception.ResponseBody;
        if (string.IsNullOrWhiteSpace(body))
        {
            return $"status {(int)exception.StatusCode} ({exception.StatusCode}) without a message";
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String)
            {
                return message.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not every error body is JSON (a proxy in front of a tcp:// endpoint, a plain-text 500).
        }

        return body.Trim();
    }
}
