using Epsilon.Gateway.Containers;

namespace Epsilon.Gateway.Pooling;

/// <summary>
/// How a container's start ended: running, with the task that tells when it stops, or failed, with the reason meant
/// for the calls that waited for it. Expected outcomes, not exceptions (as <see cref="AcquireResult"/>).
/// </summary>
internal readonly record struct StartResult
{
    private StartResult(Task<ContainerExit>? exited, ColdStartException? error)
    {
        Exited = exited;
        Error = error;
    }

    /// <summary>Completes when the running container stops; null when the start failed.</summary>
    public Task<ContainerExit>? Exited { get; }

    /// <summary>Why the start failed; null when the container runs.</summary>
    public ColdStartException? Error { get; }

    /// <summary>The container answered its readiness check.</summary>
    public static StartResult Running(Task<ContainerExit> exited) => new(exited, null);

    /// <summary>The container could not be started.</summary>
    public static StartResult Failed(ColdStartException error) => new(null, error);
}
