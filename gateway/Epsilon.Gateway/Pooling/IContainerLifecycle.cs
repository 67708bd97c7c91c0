using Epsilon.Gateway.Containers;

namespace Epsilon.Gateway.Pooling;

/// <summary>
/// What a <see cref="FunctionPool"/> asks of the containers below it: start, pause, resume, remove. Outcomes come back
/// as the results of these calls; the lifecycle never calls a pool.
/// </summary>
internal interface IContainerLifecycle
{
    /// <summary>
    /// Starts <paramref name="container"/>: image, create, start and readiness. Never throws: a failed start is the
    /// result's <see cref="StartResult.Error"/>, and a running one's <see cref="StartResult.Exited"/> tells when it stops.
    /// </summary>
    Task<StartResult> StartAsync(FunctionContainer container);

    /// <summary>Freezes an idle container once <paramref name="previous"/> transition has ended.</summary>
    Task PauseAsync(FunctionContainer container, Task previous);

    /// <summary>Thaws a paused container once <paramref name="previous"/> transition has ended; fails when it cannot be thawed.</summary>
    Task ResumeAsync(FunctionContainer container, Task previous);

    /// <summary>Removes <paramref name="container"/> in the background, once its start and last transition have ended.</summary>
    void Remove(FunctionContainer container);
}
