using Epsilon.Core.Model;
using Epsilon.Gateway.Functions;
using Microsoft.AspNetCore.Http;
using static Epsilon.Gateway.Pooling.TestFunctions;

namespace Epsilon.Gateway.Invocation;

public sealed class CanarySplitTests
{
    public static TheoryData<int[]> Splits => new() { new[] { 90, 10 }, new[] { 50, 50 }, new[] { 34, 33, 33 }, new[] { 1, 99 }, new[] { 20, 20, 20, 20, 20 } };

    [Theory]
    [MemberData(nameof(Splits))]
    public void Pick_OverCallers0To999_IsWithin3PointsOfTheWeights(int[] weights)
    {
        var route = Route(weights);
        var served = new int[weights.Length];
        for (var i = 0; i < 1000; i++)
        {
            served[route.Pick(CanarySplit.Bucket("hello", $"caller-{i}")).Version - 1]++;
        }

        for (var v = 0; v < weights.Length; v++)
        {
            Assert.InRange(served[v] / 10.0, weights[v] - 3, weights[v] + 3);
        }
    }

    [Fact]
    public void Bucket_IsStableAndDependsOnTheFunction()
    {
        Assert.Equal(CanarySplit.Bucket("hello", "caller-1"), CanarySplit.Bucket("hello", "caller-1"));
        Assert.All(Enumerable.Range(0, 1000), i => Assert.InRange(CanarySplit.Bucket("hello", $"caller-{i}"), 0, 99));
        // Another function splits the same callers otherwise, so one caller is not every function's canary.
        Assert.NotEqual(Enumerable.Range(0, 50).Select(i => CanarySplit.Bucket("hello", $"c{i}")), Enumerable.Range(0, 50).Select(i => CanarySplit.Bucket("other", $"c{i}")));
    }

    [Fact]
    public void Pick_DealsBucketsOutInVersionOrder()
    {
        var route = Route([90, 10]);

        Assert.Equal(1, route.Pick(0).Version);
        Assert.Equal(1, route.Pick(89).Version);
        Assert.Equal(2, route.Pick(90).Version);
        Assert.Equal(2, route.Pick(99).Version);
    }

    [Fact]
    public void CallerKey_HeaderThenCookieThenAddress()
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("10.1.2.3");
        Assert.Equal("10.1.2.3", CanarySplit.CallerKey(context));

        context.Request.Headers.Cookie = "epsilon-caller=user-7";
        Assert.Equal("user-7", CanarySplit.CallerKey(context));

        context.Request.Headers[CanarySplit.CallerHeader] = "caller-9";
        Assert.Equal("caller-9", CanarySplit.CallerKey(context));
    }

    private static AliasRoute Route(int[] weights) =>
        new(weights.Select((_, i) => Version(Config(), version: i + 1)).ToList(), weights);
}
