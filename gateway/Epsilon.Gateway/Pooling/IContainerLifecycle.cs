using Epsilon.Gateway.Containers;

namespace Epsilon.Gateway.Pooling;

/// <summary>What a <see cref="FunctionPool"/> asks of the outside world: start a container, remove one.</summary>
internal interface IContainerLifecycle
{
    /// <summary>Starts <paramref name="container"/> in the background; its <see cref="FunctionContainer.Ready"/> tells the outcome.</summary>
    void Start(FunctionPool pool, FunctionContainer container);

    /// <summary>Freezes an idle container once <paramref name="previous"/> transition has ended.</summary>
    Task PauseAsync(FunctionContainer container, Task previous);

    /// <summary>Thaws a paused container once <paramref name="previous"/> transition has ended.</summary>
    Task ResumeAsync(FunctionContainer container, Task previous);

    /// <summary>Removes <paramref name="container"/> in the background.</summary>
    void Remove(FunctionContainer container);
}
