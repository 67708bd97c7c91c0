namespace Epsilon.EndToEnd.Tests.Operations;

/// <summary>
/// The load test: a thousand calls at once saturate both cores and the Docker daemon, so it runs alone, never beside
/// another collection whose timeouts it would break.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadCollection
{
    public const string Name = "load";
}
