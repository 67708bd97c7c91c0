namespace Epsilon.Simulation;

public sealed class FleetSimulationTests
{
    private static readonly SimulationOptions s_small = new()
    {
        Gateways = 4,
        ContainersPerGateway = 20,
        Functions = 200,
        DurationSeconds = 600,
        CallsPerSecond = 50,
    };

    [Theory]
    [InlineData(nameof(RoutingPolicy.Sticky))]
    [InlineData(nameof(RoutingPolicy.RoundRobin))]
    [InlineData(nameof(RoutingPolicy.LeastLoaded))]
    public void Run_SameSeed_SameResults_AnotherSeed_Others(string name)
    {
        var policy = Enum.Parse<RoutingPolicy>(name);
        var first = FleetSimulation.Run(s_small, policy);

        Assert.Equal(first, FleetSimulation.Run(s_small, policy));
        Assert.NotEqual(first, FleetSimulation.Run(s_small with { Seed = s_small.Seed + 1 }, policy));
    }

    [Fact]
    public void Run_EveryPolicy_SeesTheSameCalls()
    {
        var calls = Enum.GetValues<RoutingPolicy>().Select(p => FleetSimulation.Run(s_small, p).Calls).Distinct().ToArray();

        Assert.Single(calls);
        Assert.InRange(calls[0], 0.85 * 50 * 600, 1.15 * 50 * 600);
    }

    [Theory]
    [InlineData(nameof(RoutingPolicy.Sticky))]
    [InlineData(nameof(RoutingPolicy.RoundRobin))]
    [InlineData(nameof(RoutingPolicy.LeastLoaded))]
    public void Run_SmallCapacity_NeverHoldsMoreThanIt(string policy)
    {
        var options = s_small with { ContainersPerGateway = 5 };

        var result = FleetSimulation.Run(options, Enum.Parse<RoutingPolicy>(policy));

        Assert.InRange(result.PeakContainersHeld, 1, options.Gateways * options.ContainersPerGateway);
        Assert.True(result.Evictions > 0);
    }

    [Fact]
    public void Run_Sticky_OneQuietFunction_IsServedAtItsHomeOnly()
    {
        var options = s_small with { Gateways = 3, Functions = 1, CallsPerSecond = 0.5, KeepAliveSeconds = 600 };

        var result = FleetSimulation.Run(options, RoutingPolicy.Sticky);

        Assert.Equal((1.0, 0L, 0L), (result.GatewaysPerFunction, result.Spilled, result.Rejections));
        Assert.InRange(result.ForwardedShare, 0.55, 0.78);
    }

    [Fact]
    public void Run_RoundRobin_OneQuietFunction_IsServedEverywhere()
    {
        var options = s_small with { Gateways = 3, Functions = 1, CallsPerSecond = 0.5 };

        var result = FleetSimulation.Run(options, RoutingPolicy.RoundRobin);

        Assert.Equal(3.0, result.GatewaysPerFunction);
        Assert.Equal(0L, result.Forwarded);
    }

    [Fact]
    public void Run_Sticky_OneBusyFunction_SpillsPastItsHome_WithinItsLimitPerGateway()
    {
        // 40 calls/s while on, about 0.165 s each: several containers at once, over a limit of 2 per gateway.
        var options = s_small with { Gateways = 5, Functions = 1, CallsPerSecond = 10, MaxContainersPerFunction = 2 };

        var result = FleetSimulation.Run(options, RoutingPolicy.Sticky);

        Assert.True(result.Spilled > 0);
        Assert.True(result.GatewaysPerFunction > 1);
        Assert.True(result.PeakBusyOnOneGateway <= 2);
    }

    [Fact]
    public void Run_Sticky_FewerColdStartsAndContainersThanRoundRobin()
    {
        var sticky = FleetSimulation.Run(s_small, RoutingPolicy.Sticky);
        var roundRobin = FleetSimulation.Run(s_small, RoutingPolicy.RoundRobin);

        Assert.True(sticky.ColdStarts < roundRobin.ColdStarts);
        Assert.True(sticky.MeanContainersHeld < roundRobin.MeanContainersHeld);
    }
}
