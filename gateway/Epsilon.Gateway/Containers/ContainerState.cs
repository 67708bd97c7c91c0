namespace Epsilon.Gateway.Containers;

/// <summary>Life of a function container as the pool sees it.</summary>
internal enum FunctionContainerState
{
    /// <summary>Being pulled, created, started or waited for; calls may already be assigned to it.</summary>
    Starting,

    /// <summary>Answering calls.</summary>
    Ready,

    /// <summary>
    /// Idle and frozen (cgroup freezer, as OpenWhisk does): no CPU, memory kept; a call thaws it in tens of milliseconds
    /// instead of a cold start's hundreds.
    /// </summary>
    Paused,

    /// <summary>Takes no new calls; removed once its calls end (idle, timed out, or its version is no longer live).</summary>
    Retired,

    /// <summary>Crashed, exited or failed to start; removed.</summary>
    Dead,
}
