namespace Epsilon.Core.Docker;

/// <summary>The tests that talk to the real daemon share one <see cref="DockerFixture"/> and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class DockerCollection : ICollectionFixture<DockerFixture>
{
    public const string Name = "Docker";
}
