namespace Epsilon.Gateway.Containers;

/// <summary>Why the daemon refused to start a created container (see <see cref="ContainerRuntime.ClassifyStartFailure"/>).</summary>
internal enum StartFailure
{
    /// <summary>Any other refusal; the daemon's message says what.</summary>
    Other,

    /// <summary>The container is gone (removed between create and start).</summary>
    ContainerMissing,

    /// <summary>The network the container is to join is gone (removed while the gateway ran).</summary>
    NetworkMissing,
}
