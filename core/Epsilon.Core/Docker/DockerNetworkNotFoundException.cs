using System.Net;

namespace Epsilon.Core.Docker;

/// <summary>The daemon answered 404: no such network.</summary>
public sealed class DockerNetworkNotFoundException : DockerApiException
{
    /// <summary>Creates the exception from the daemon's answer.</summary>
    /// <param name="statusCode">The HTTP status of the answer (404).</param>
    /// <param name="responseBody">The answer's body.</param>
    public DockerNetworkNotFoundException(HttpStatusCode statusCode, string responseBody)
        : base(statusCode, responseBody)
    {
    }
}
