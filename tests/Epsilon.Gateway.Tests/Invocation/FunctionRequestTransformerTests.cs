using System.Net;
using Epsilon.Core.Contracts;
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

    [Fact]
    public async Task TransformRequestAsync_SendsTheWrapperTheCallsIdAndWhereItCameFrom()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("gateway.example:8080");
        context.Request.Path = "/hello/a";
        context.Request.QueryString = new QueryString("?x=1");
        context.Request.Headers[WrapperHeaders.RequestId] = "from-the-caller";
        context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
        context.Features.Set(new InvocationFeature("hello", "call-1", 1, "/hello"));
        using var request = new HttpRequestMessage();

        await FunctionRequestTransformer.Instance.TransformRequestAsync(context, request, "http://172.18.0.5:8080", CancellationToken.None);

        Assert.Equal("http://172.18.0.5:8080/a?x=1", request.RequestUri!.ToString());
        Assert.Equal(["call-1"], request.Headers.GetValues(WrapperHeaders.RequestId));
        Assert.Equal(["203.0.113.7"], request.Headers.GetValues(WrapperHeaders.ForwardedFor));
        Assert.Equal(["http"], request.Headers.GetValues(WrapperHeaders.ForwardedProto));
        Assert.Equal(["gateway.example:8080"], request.Headers.GetValues(WrapperHeaders.ForwardedHost));
        Assert.Equal(["/hello"], request.Headers.GetValues(WrapperHeaders.ForwardedPrefix));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TransformResponseAsync_TimedOutMarker_TellsTheHandlerAndTheCallKeepsItsId(bool marked)
    {
        var context = new DefaultHttpContext();
        var invocation = new InvocationFeature("hello", "call-1", 1, "/hello");
        context.Features.Set(invocation);
        using var response = new HttpResponseMessage(HttpStatusCode.GatewayTimeout);
        response.Headers.Add(WrapperHeaders.RequestId, "something-else");
        if (marked)
        {
            response.Headers.Add(WrapperHeaders.TimedOut, WrapperHeaders.TimedOutValue);
        }

        await FunctionRequestTransformer.Instance.TransformResponseAsync(context, response, CancellationToken.None);

        Assert.Equal(marked, invocation.TimedOutInside);
        Assert.Equal("call-1", context.Response.Headers[WrapperHeaders.RequestId].ToString());
    }
}
