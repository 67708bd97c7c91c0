using System.Net;

namespace Epsilon.Core.Docker;

/// <summary>The daemon answered 404: no such image.</summary>
public sealed class DockerImageNotFoundException : DockerApiException
{
    /// <summary>Creates the exception from the daemon's answer.</summary>
    /// <param name="statusCode">The HTTP status of the answer (404).</param>
    /// <param name="responseBody">The answer's body.</param>
    public DockerImageNotFoundException(HttpStatusCode statusCode, string responseBody)
        : base(statusCode, responseBody)
    {
    }
}
