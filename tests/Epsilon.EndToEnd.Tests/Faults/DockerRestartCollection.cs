namespace Epsilon.EndToEnd.Tests.Faults;

/// <summary>
/// Tests that restart the machine's dockerd: every other test needs it, so these run alone, and each restores it as
/// scripts/setup.sh leaves it before it ends, passed or failed.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DockerRestartCollection
{
    public const string Name = "docker-restart";
}
