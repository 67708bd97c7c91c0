namespace Epsilon.Gateway.Fleet;

public sealed class RendezvousRankingTests
{
    private static readonly FleetPeer[] s_ten = Enumerable.Range(1, 10).Select(i => Peer($"g{i}")).ToArray();

    [Fact]
    public void Rank_SameMembersInAnyOrder_GivesTheSameRanking()
    {
        var shuffled = s_ten.Reverse().ToArray();

        foreach (var function in Functions(200))
        {
            Assert.Equal(RendezvousRanking.Rank(function, s_ten).Select(p => p.Id), RendezvousRanking.Rank(function, shuffled).Select(p => p.Id));
        }
    }

    [Fact]
    public void Rank_ManyFunctions_SpreadsHomesEvenly()
    {
        var homes = Functions(10_000).GroupBy(f => RendezvousRanking.Rank(f, s_ten)[0].Id).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(10, homes.Count);
        Assert.All(homes.Values, count => Assert.InRange(count, 850, 1150));
    }

    [Fact]
    public void Rank_OneGatewayLeaves_OnlyItsFunctionsMove_ToTheirSecond()
    {
        var remaining = s_ten.Where(p => p.Id != "g4").ToArray();
        var moved = 0;

        foreach (var function in Functions(10_000))
        {
            var before = RendezvousRanking.Rank(function, s_ten);
            var after = RendezvousRanking.Rank(function, remaining);
            if (before[0].Id != after[0].Id)
            {
                moved++;
                Assert.Equal("g4", before[0].Id);
                Assert.Equal(before[1].Id, after[0].Id);
            }
        }

        Assert.InRange(moved, 850, 1150);
    }

    [Fact]
    public void Rank_IsTheGatewaysByScore_HighestFirst()
    {
        var hundred = Enumerable.Range(1, 100).Select(i => Peer($"g{i}")).ToArray();
        var scores = new ulong[hundred.Length];

        foreach (var function in Functions(200))
        {
            RendezvousRanking.Score(function, hundred, scores);
            var expected = hundred.Select((peer, i) => (peer, score: scores[i])).OrderByDescending(x => x.score)
                .ThenBy(x => x.peer.Id, StringComparer.Ordinal).Select(x => x.peer);

            Assert.Equal(expected, RendezvousRanking.Rank(function, hundred));
        }
    }

    [Fact]
    public void Rank_LongNonAsciiName_IsRankedLikeAnyOther()
    {
        var name = string.Concat(Enumerable.Repeat("ƒunction-", 100));

        Assert.Equal(10, RendezvousRanking.Rank(name, s_ten).Distinct().Count());
    }

    internal static FleetPeer Peer(string id) => new(id, new Uri($"http://{id}.test:8080"), 100);

    private static IEnumerable<string> Functions(int count) => Enumerable.Range(0, count).Select(i => $"fn-{i}");
}
