using System.Net;

namespace Epsilon.Core.Docker;

/// <summary>
/// Turns an error answer into the exception of the resource it is about. The status alone does not say
/// which resource is missing (starting a container answers 404 for a missing network too), the message does.
/// </summary>
internal static class DockerErrors
{
    public static DockerApiException Default(HttpStatusCode statusCode, string body) =>
        statusCode == HttpStatusCode.NotFound ? FromMessage(statusCode, body) ?? new DockerApiException(statusCode, body) : new DockerApiException(statusCode, body);

    public static DockerApiException Container(HttpStatusCode statusCode, string body) =>
        statusCode == HttpStatusCode.NotFound ? FromMessage(statusCode, body) ?? new DockerContainerNotFoundException(statusCode, body) : new DockerApiException(statusCode, body);

    public static DockerApiException Image(HttpStatusCode statusCode, string body) =>
        statusCode == HttpStatusCode.NotFound ? new DockerImageNotFoundException(statusCode, body) : new DockerApiException(statusCode, body);

    public static DockerApiException Network(HttpStatusCode statusCode, string body) =>
        statusCode == HttpStatusCode.NotFound ? new DockerNetworkNotFoundException(statusCode, body) : new DockerApiException(statusCode, body);

    private static DockerApiException? FromMessage(HttpStatusCode statusCode, string body)
    {
        var message = DockerApiException.GetDaemonMessage(body);
        if (message.Contains("no such container", StringComparison.OrdinalIgnoreCase))
        {
            return new DockerContainerNotFoundException(statusCode, body);
        }

        if (message.Contains("no such image", StringComparison.OrdinalIgnoreCase))
        {
            return new DockerImageNotFoundException(statusCode, body);
        }

        if (message.StartsWith("network ", StringComparison.OrdinalIgnoreCase) && message.EndsWith(" not found", StringComparison.OrdinalIgnoreCase))
        {
            return new DockerNetworkNotFoundException(statusCode, body);
        }

        return null;
    }
}
