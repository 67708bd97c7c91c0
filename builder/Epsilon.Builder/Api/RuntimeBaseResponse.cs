using Epsilon.Builder.Images;

namespace Epsilon.Builder.Api;

/// <summary>What of a runtime a function image is built on.</summary>
/// <param name="BaseImage">The base image's id (<c>absent {tag}</c> when the builder's daemon lacks it).</param>
/// <param name="BuildImage">The build image's id.</param>
/// <param name="Wrapper">The SHA-256 of the runtime's Dockerfile template and wrapper sources.</param>
internal sealed record RuntimeBaseResponse(string BaseImage, string BuildImage, string Wrapper)
{
    public static RuntimeBaseResponse From(RuntimeBase runtime) => new(runtime.BaseImage, runtime.BuildImage, runtime.Wrapper);
}
