namespace Epsilon.Gateway.Invocation;

public sealed class RequestIdsTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("2f9c1d6e-5b7a-4c3e-9d8f-0a1b2c3d4e5f")]
    [InlineData("Trace_0123456789")]
    public void FromCaller_StrictForm_IsKept(string id) => Assert.Equal(id, RequestIds.FromCaller(id));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc\n")]
    [InlineData("abc\r\nX-Injected: 1")]
    [InlineData("a b")]
    [InlineData("../x")]
    [InlineData("ä")]
    [InlineData("id;drop")]
    public void FromCaller_AnythingElse_IsReplacedByANewId(string? id)
    {
        var kept = RequestIds.FromCaller(id);
        Assert.NotEqual(id, kept);
        Assert.Matches("^[0-9a-f]{32}$", kept);
    }

    [Fact]
    public void FromCaller_LongerThan64_IsReplaced()
    {
        Assert.Equal(new string('a', 64), RequestIds.FromCaller(new string('a', 64)));
        Assert.NotEqual(new string('a', 65), RequestIds.FromCaller(new string('a', 65)));
    }
}
