namespace Epsilon.Core.Model;

/// <summary>Where a gateway is in its life in the fleet.</summary>
public enum GatewayState
{
    /// <summary>Serving, and in every function's ranking.</summary>
    Active,

    /// <summary>Stopping: out of every ranking, finishing the calls it has.</summary>
    Draining,
}
