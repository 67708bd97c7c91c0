namespace Epsilon.Gateway.Pooling;

/// <summary>Why no container could be had for a call. Expected outcomes, not exceptions (as YARP's ForwarderError).</summary>
internal enum AcquireError
{
    /// <summary>A container was had.</summary>
    None,

    /// <summary>Every container is busy, none more may start, and the wait queue is full.</summary>
    QueueFull,

    /// <summary>Every container stayed busy for the whole queue timeout.</summary>
    QueueTimedOut,

    /// <summary>The container the call waited for failed to start.</summary>
    ColdStartFailed,

    /// <summary>Another version went live while the call was being routed: route it again.</summary>
    VersionRetired,
}
