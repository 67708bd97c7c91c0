using Microsoft.AspNetCore.Http;

namespace Epsilon.Gateway.Invocation;

public sealed class FunctionRequestTransformerTests
{
    [Theory]
    [InlineData("/hello", "/")]
    [InlineData("/hello/", "/")]
    [InlineData("/hello/a/b", "/a/b")]
    [InlineData("/hello/a/b/", "/a/b/")]
    [InlineData("/hello/hello", "/hello")]
    [InlineData("/hello-world/x", "/x")]
    public void FunctionPath_PathUnderFunction_IsWhatFollowsTheFunctionName(string path, string expected)
    {
        Assert.Equal(new PathString(expected), FunctionRequestTransformer.FunctionPath(new PathString(path)));
    }

    [Theory]
    [InlineData("/invoke/acme-shop/API", "/")]
    [InlineData("/invoke/acme-shop/API/orders/7", "/orders/7")]
    public void FunctionPath_EserverlessRoute_TakesOffThreeSegments(string path, string expected)
    {
        Assert.Equal(new PathString(expected), FunctionRequestTransformer.FunctionPath(new PathString(path), 3));
    }
}
