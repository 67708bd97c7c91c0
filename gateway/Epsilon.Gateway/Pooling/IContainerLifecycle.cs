using Epsilon.Gateway.Containers;

namespace Epsilon.Gateway.Pooling;

/// <summary>What a <see cref="FunctionPool"/> asks of the outside world: start a container, remove one.</summary>
internal interface IContainerLifecycle
{
    /// <summary>Starts <paramref name="container"/> in the background; its <see cref="FunctionContainer.Ready"/> tells the outcome.</summary>
    void Start(FunctionPool pool, FunctionContainer container);

    /// <summary>Removes <paramref name="container"/> in the background.</summary>
    void Remove(FunctionContainer container);
}
