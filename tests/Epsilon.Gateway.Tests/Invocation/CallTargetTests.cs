namespace Epsilon.Gateway.Invocation;

public sealed class CallTargetTests
{
    [Theory]
    [InlineData("hello", "hello", null)]
    [InlineData("hello@v7", "hello", "v7")]
    [InlineData("hello@beta", "hello", "beta")]
    [InlineData("hello@live", "hello", "live")]
    public void FromSegment_FunctionAndSelector(string segment, string function, string? selector) =>
        Assert.Equal(new CallTarget(function, selector), CallTarget.FromSegment(segment));

    [Fact]
    public void FromSegment_EmptySelector_IsNoTarget() => Assert.Null(CallTarget.FromSegment("hello@"));

    [Theory]
    [InlineData("hello.fn.example.com", "hello", null)]
    [InlineData("beta.hello.fn.example.com", "hello", "beta")]
    [InlineData("V3.Hello.FN.example.com", "hello", "v3")]
    public void FromHost_UnderTheBaseDomain(string host, string function, string? selector) =>
        Assert.Equal(new CallTarget(function, selector), CallTarget.FromHost(host, "fn.example.com"));

    [Theory]
    [InlineData("fn.example.com", "fn.example.com")]
    [InlineData("hellofn.example.com", "fn.example.com")]
    [InlineData("a.b.hello.fn.example.com", "fn.example.com")]
    [InlineData(".fn.example.com", "fn.example.com")]
    [InlineData("hello.other.com", "fn.example.com")]
    [InlineData("hello.fn.example.com", "")]
    public void FromHost_AnyOtherHost_IsNoTarget(string host, string baseDomain) => Assert.Null(CallTarget.FromHost(host, baseDomain));

    [Theory]
    [InlineData("v7", true, 7)]
    [InlineData("v0", false, 0)]
    [InlineData("v", false, 0)]
    [InlineData("v7a", false, 0)]
    [InlineData("beta", false, 0)]
    [InlineData("v99999999999", false, 0)]
    public void NamesVersion_OnlyVAndAPositiveNumber(string selector, bool names, int version)
    {
        Assert.Equal(names, new CallTarget("hello", selector).NamesVersion(out var parsed));
        Assert.Equal(version, parsed);
    }
}
