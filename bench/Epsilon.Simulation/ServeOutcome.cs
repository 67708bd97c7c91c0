namespace Epsilon.Simulation;

/// <summary>How a gateway took a call.</summary>
internal enum ServeOutcome
{
    /// <summary>An idle container of the function took it.</summary>
    Warm,

    /// <summary>A new container started for it (after removing another function's idle container if the gateway was full).</summary>
    Cold,

    /// <summary>No container could take it: the function's are all busy at its limit, or the gateway is full of busy ones.</summary>
    Rejected,
}
