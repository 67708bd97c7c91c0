namespace Epsilon.Gateway.Fleet;

public sealed class SpilloverRouterTests
{
    private static readonly FleetPeer[] s_three = [RendezvousRankingTests.Peer("a"), RendezvousRankingTests.Peer("b"), RendezvousRankingTests.Peer("c")];

    [Fact]
    public void Route_CallAtItsHome_IsServedHere()
    {
        var (function, ranking) = FunctionWithHome("a");

        Assert.Equal(RouteDecision.Local, SpilloverRouter.Route(function, "a", s_three, Saturated.None));
        Assert.Equal(ranking[0], SpilloverRouter.Route(function, "b", s_three, Saturated.None).Peer);
    }

    [Fact]
    public void Route_HomeSaturated_SpillsToTheNextInTheRanking_ThenTheOneAfter()
    {
        var (function, ranking) = FunctionWithHome("a");

        var once = SpilloverRouter.Route(function, ranking[2].Id, s_three, new Saturated((ranking[0].Id, function)));
        var twice = SpilloverRouter.Route(function, ranking[2].Id, s_three, new Saturated((ranking[0].Id, function), (ranking[1].Id, function)));

        Assert.Equal((ranking[1], true), (once.Peer, once.Spilled));
        Assert.Equal((null, true), (twice.Peer, twice.Spilled));
    }

    [Fact]
    public void Route_AnySaturation_ServesTheFirstUnsaturatedGatewayOfTheRanking()
    {
        var ten = Enumerable.Range(1, 10).Select(i => RendezvousRankingTests.Peer($"g{i}")).ToArray();
        var random = new Random(11);

        for (var i = 0; i < 500; i++)
        {
            var function = $"fn-{i}";
            var saturated = new Saturated(ten.Where(_ => random.NextDouble() < 0.6).Select(p => (p.Id, function)).ToArray());
            var ranking = RendezvousRanking.Rank(function, ten);
            var first = Array.FindIndex(ranking, p => !saturated.IsSaturated(p.Id, function));

            var decision = SpilloverRouter.Route(function, "g1", ten, saturated);

            var expected = first < 0 || ranking[first].Id == "g1" ? null : ranking[first];
            Assert.Equal((expected, first > 0), (decision.Peer, decision.Spilled));
        }
    }

    [Fact]
    public void Route_SaturationOfAnotherFunction_DoesNotMoveThisOne()
    {
        var (function, ranking) = FunctionWithHome("b");

        Assert.Equal(ranking[0], SpilloverRouter.Route(function, "a", s_three, new Saturated((ranking[0].Id, "other"))).Peer);
    }

    [Fact]
    public void Route_EveryoneSaturated_WaitsHereRatherThanAddAHop()
    {
        var (function, _) = FunctionWithHome("b");
        var all = new Saturated(("a", function), ("b", function), ("c", function));

        Assert.True(SpilloverRouter.Route(function, "a", s_three, all).IsLocal);
    }

    [Fact]
    public void Route_ForwardedCall_IsNeverForwardedAgain()
    {
        var (function, _) = FunctionWithHome("b");

        Assert.True(SpilloverRouter.Route(function, "a", s_three, Saturated.None, forwarded: true).IsLocal);
    }

    [Fact]
    public void Route_BalancerSaysHome_ServedHereUnlessSaturated()
    {
        var (function, ranking) = FunctionWithHome("b");

        Assert.True(SpilloverRouter.Route(function, "a", s_three, Saturated.None, balancerHome: true).IsLocal);
        Assert.Equal(ranking[0], SpilloverRouter.Route(function, "a", s_three, new Saturated(("a", function)), balancerHome: true).Peer);
    }

    [Fact]
    public void Route_DrainingGateway_OutOfTheMembers_ForwardsEvenItsOwnFunctions()
    {
        var (function, ranking) = FunctionWithHome("a");
        var withoutA = s_three.Where(p => p.Id != "a").ToArray();

        Assert.Equal(ranking[1], SpilloverRouter.Route(function, "a", withoutA, Saturated.None).Peer);
    }

    [Fact]
    public void Route_AloneOrWithNoMembers_ServesHere()
    {
        Assert.True(SpilloverRouter.Route("f", "a", [], Saturated.None).IsLocal);
        Assert.True(SpilloverRouter.Route("f", "a", [s_three[0]], Saturated.None).IsLocal);
    }

    private static (string Function, FleetPeer[] Ranking) FunctionWithHome(string home)
    {
        for (var i = 0; ; i++)
        {
            var ranking = RendezvousRanking.Rank($"fn-{i}", s_three);
            if (ranking[0].Id == home)
            {
                return ($"fn-{i}", ranking);
            }
        }
    }

    private sealed class Saturated(params (string Gateway, string Function)[] pairs) : ISaturationSignals
    {
        public static Saturated None { get; } = new();

        public bool IsSaturated(string gatewayId, string function) => pairs.Contains((gatewayId, function));
    }
}
