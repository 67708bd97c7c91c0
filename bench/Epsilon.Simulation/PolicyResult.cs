namespace Epsilon.Simulation;

/// <summary>What one routing policy did with the simulated hour.</summary>
internal sealed record PolicyResult
{
    public required RoutingPolicy Policy { get; init; }

    /// <summary>Calls that arrived.</summary>
    public required long Calls { get; init; }

    /// <summary>Functions called at least once.</summary>
    public required int FunctionsCalled { get; init; }

    /// <summary>Calls that started a container.</summary>
    public required long ColdStarts { get; init; }

    /// <summary>Calls no container could take.</summary>
    public required long Rejections { get; init; }

    /// <summary>Idle containers removed to make room for another function's.</summary>
    public required long Evictions { get; init; }

    /// <summary>Idle containers removed after the keep-alive.</summary>
    public required long Expirations { get; init; }

    /// <summary>Containers held over the fleet, busy or idle, averaged over the samples.</summary>
    public required double MeanContainersHeld { get; init; }

    /// <summary>The most containers held over the fleet at one sample.</summary>
    public required int PeakContainersHeld { get; init; }

    /// <summary>Containers serving a call over the fleet, on average (busy container-seconds over the duration).</summary>
    public required double MeanBusyContainers { get; init; }

    /// <summary>Calls served by the busiest gateway over the mean per gateway.</summary>
    public required double ImbalanceByCalls { get; init; }

    /// <summary>Busy container-seconds of the busiest gateway over the mean per gateway.</summary>
    public required double ImbalanceByBusyTime { get; init; }

    /// <summary>The most containers busy at once on one gateway.</summary>
    public required int PeakBusyOnOneGateway { get; init; }

    /// <summary>Calls the receiving gateway forwarded to another (sticky routing only).</summary>
    public required long Forwarded { get; init; }

    /// <summary>Calls served past the function's home because the gateways before it in the ranking were saturated.</summary>
    public required long Spilled { get; init; }

    /// <summary>Gateways that served a function, averaged over the functions called.</summary>
    public required double GatewaysPerFunction { get; init; }

    public double ColdStartRate => Calls == 0 ? 0 : (double)ColdStarts / Calls;

    public double ForwardedShare => Calls == 0 ? 0 : (double)Forwarded / Calls;

    public double SpilledShare => Calls == 0 ? 0 : (double)Spilled / Calls;
}
