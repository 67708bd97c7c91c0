using Epsilon.Core.Manifest;

namespace Epsilon.Builder.Runtimes;

/// <summary>One runtime: what its manifests may say, its Dockerfile template, the wrapper's sources and its images.</summary>
internal sealed record RuntimeDefinition(
    string Name,
    RuntimeRules Rules,
    string DockerfileTemplate,
    string SourceDirectory,
    string BaseImage,
    string BuildImage);
