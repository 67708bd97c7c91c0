namespace Epsilon.Simulation;

public sealed class SimulatedFleetTests
{
    private const int Function = 0;
    private const int Other = 1;
    private const int Third = 2;

    [Fact]
    public void Serve_OneFunction_ColdFirst_WarmWithinTheKeepAlive_ColdAgainAfterIt()
    {
        var fleet = new SimulatedFleet(gateways: 1, functions: 1, capacity: 200, maxPerFunction: 10, keepAliveSeconds: 600);

        var first = fleet.Serve(0, Function, 0, out var container);
        fleet.Release(container, 0.1);
        var withinKeepAlive = fleet.Serve(0, Function, 599, out container);
        fleet.Release(container, 599.1);
        var afterKeepAlive = fleet.Serve(0, Function, 1199.2, out _);

        Assert.Equal((ServeOutcome.Cold, ServeOutcome.Warm, ServeOutcome.Cold), (first, withinKeepAlive, afterKeepAlive));
        Assert.Equal((2L, 1L, 1L), (fleet.ColdStarts, fleet.WarmStarts, fleet.Expirations));
        Assert.Equal(1, fleet.Held(0));
    }

    [Fact]
    public void Serve_TwoCallsAtOnce_TakeTwoContainers()
    {
        var fleet = new SimulatedFleet(1, 1, 200, 10, 600);

        fleet.Serve(0, Function, 0, out var first);
        var second = fleet.Serve(0, Function, 0.01, out var other);

        Assert.Equal(ServeOutcome.Cold, second);
        Assert.NotEqual(first, other);
        Assert.Equal((2, 2), (fleet.Held(0), fleet.Busy(0)));
    }

    [Fact]
    public void Serve_TheMostRecentlyUsedIdleContainer_SoTheOthersCanExpire()
    {
        var fleet = new SimulatedFleet(1, 1, 200, 10, 600);
        fleet.Serve(0, Function, 0, out var older);
        fleet.Serve(0, Function, 0, out var newer);
        fleet.Release(older, 1);
        fleet.Release(newer, 2);

        fleet.Serve(0, Function, 3, out var taken);

        Assert.Equal(newer, taken);
    }

    [Fact]
    public void Serve_FunctionAtItsLimit_IsRejected_AndTheGatewaySaturatedForItOnly()
    {
        var fleet = new SimulatedFleet(1, 2, 200, maxPerFunction: 2, keepAliveSeconds: 600);
        fleet.Serve(0, Function, 0, out _);
        fleet.Serve(0, Function, 0, out _);

        Assert.True(fleet.IsSaturated(0, Function, 0));
        Assert.False(fleet.IsSaturated(0, Other, 0));
        Assert.Equal(ServeOutcome.Rejected, fleet.Serve(0, Function, 0, out _));
        Assert.Equal(2, fleet.Held(0, Function));
    }

    [Fact]
    public void Serve_GatewayFull_EvictsTheLeastRecentlyUsedIdleContainer_OfAnotherFunction()
    {
        var fleet = new SimulatedFleet(1, 3, capacity: 2, maxPerFunction: 10, keepAliveSeconds: 600);
        fleet.Serve(0, Function, 0, out var function);
        fleet.Serve(0, Other, 0, out var other);
        fleet.Release(function, 1);
        fleet.Release(other, 2);

        Assert.False(fleet.IsSaturated(0, Third, 3));
        Assert.Equal(ServeOutcome.Cold, fleet.Serve(0, Third, 3, out _));
        Assert.Equal((0, 1, 1), (fleet.Held(0, Function), fleet.Held(0, Other), fleet.Held(0, Third)));
        Assert.Equal((1L, 2), (fleet.Evictions, fleet.Held(0)));
    }

    [Fact]
    public void Serve_GatewayFullOfBusyContainers_IsRejected_AndSaturated()
    {
        var fleet = new SimulatedFleet(1, 3, capacity: 2, maxPerFunction: 10, keepAliveSeconds: 600);
        fleet.Serve(0, Function, 0, out _);
        fleet.Serve(0, Other, 0, out _);

        Assert.True(fleet.IsSaturated(0, Third, 0));
        Assert.Equal(ServeOutcome.Rejected, fleet.Serve(0, Third, 0, out _));
        Assert.Equal((2, 0L), (fleet.Held(0), fleet.Evictions));
    }

    [Fact]
    public void Expire_RemovesOnlyContainersIdlePastTheKeepAlive()
    {
        var fleet = new SimulatedFleet(2, 2, 200, 10, keepAliveSeconds: 600);
        fleet.Serve(0, Function, 0, out var early);
        fleet.Serve(1, Other, 0, out var late);
        fleet.Release(early, 10);
        fleet.Release(late, 300);

        Assert.Equal(1, fleet.ExpireAndCountHeld(610));
        Assert.Equal((0, 1), (fleet.Held(0), fleet.Held(1)));
    }
}
