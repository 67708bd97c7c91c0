namespace Epsilon.Builder.Runtimes;

/// <summary>One runtime: its Dockerfile template, the wrapper's sources and the base image it builds on.</summary>
internal sealed record RuntimeDefinition(string Name, string DockerfileTemplate, string SourceDirectory, string BaseImage);
