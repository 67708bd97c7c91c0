using Yarp.ReverseProxy.Forwarder;

namespace Epsilon.Gateway.Invocation;

public sealed class InvocationHandlerTests
{
    [Theory]
    [InlineData(ForwarderError.RequestCanceled)]
    [InlineData(ForwarderError.RequestBodyCanceled)]
    [InlineData(ForwarderError.ResponseBodyCanceled)]
    [InlineData(ForwarderError.RequestBodyClient)]
    [InlineData(ForwarderError.ResponseBodyClient)]
    public void IsClientError_CallerSideOrCancelled_KeepsTheContainer(ForwarderError error)
    {
        Assert.True(InvocationHandler.IsClientError(error));
    }

    [Theory]
    [InlineData(ForwarderError.Request)]
    [InlineData(ForwarderError.ResponseHeaders)]
    [InlineData(ForwarderError.ResponseBodyDestination)]
    [InlineData(ForwarderError.RequestBodyDestination)]
    public void IsClientError_DestinationFailure_ReplacesTheContainer(ForwarderError error)
    {
        Assert.False(InvocationHandler.IsClientError(error));
    }
}
