namespace Epsilon.Core.Docker;

/// <summary>Image endpoints of the Engine API.</summary>
public interface IImageOperations
{
    /// <summary>
    /// <c>docker build</c>: POST /build with a tar context (legacy builder). Progress is streamed as
    /// <see cref="JsonMessage"/>s; an error in the stream throws <see cref="DockerBuildException"/> carrying
    /// the daemon's message. Returns the built image's id.
    /// </summary>
    Task<string> BuildImageAsync(Stream tarContext, ImageBuildParameters parameters, IProgress<JsonMessage>? progress = null, CancellationToken cancellationToken = default);

    /// <summary><c>docker pull</c>: POST /images/create?fromImage=&amp;tag=, X-Registry-Auth. 200; an error in the stream throws <see cref="DockerApiException"/>; 404 unknown.</summary>
    Task CreateImageAsync(string image, string tag, AuthConfig? auth = null, IProgress<JsonMessage>? progress = null, CancellationToken cancellationToken = default);

    /// <summary><c>docker push</c>: POST /images/{name}/push?tag=, X-Registry-Auth. 200; an error in the stream throws; 404 no such image.</summary>
    Task PushImageAsync(string name, string tag, AuthConfig? auth = null, IProgress<JsonMessage>? progress = null, CancellationToken cancellationToken = default);

    /// <summary><c>docker tag</c>: POST /images/{name}/tag?repo=&amp;tag=. 201; 404.</summary>
    Task TagImageAsync(string name, string repository, string tag, CancellationToken cancellationToken = default);

    /// <summary><c>docker image inspect</c>: GET /images/{name}/json. 200; 404 throws <see cref="DockerImageNotFoundException"/>.</summary>
    Task<ImageInspectResponse> InspectImageAsync(string name, CancellationToken cancellationToken = default);

    /// <summary><c>docker rmi [-f]</c>: DELETE /images/{name}?force=. 200; 404; 409 in use.</summary>
    Task DeleteImageAsync(string name, bool force = false, CancellationToken cancellationToken = default);
}
