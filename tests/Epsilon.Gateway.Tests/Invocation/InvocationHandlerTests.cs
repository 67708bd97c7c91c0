using System.Diagnostics.Metrics;
using System.Text;
using Epsilon.Gateway.Fleet;
using Epsilon.Gateway.Pooling;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;
using static Epsilon.Gateway.Pooling.TestFunctions;

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

    [Fact]
    public async Task InvokeAsync_FunctionStillBusyWhenTheClockPassesItsTimeoutAndGrace_Is504AndTheContainerIsReplaced()
    {
        using var gateway = new PoolsHarness();
        await gateway.GoLiveAsync(Version(Config()));
        await using var services = new ServiceCollection().AddLogging().AddMetrics().BuildServiceProvider();
        using var metrics = new GatewayMetrics(services.GetRequiredService<IMeterFactory>());
        var forwarder = new HangingForwarder();
        using var peers = new PeerForwarder(forwarder, gateway.Membership, new SaturationHints(gateway.Time, TimeSpan.FromSeconds(1)),
            Options.Create(new Epsilon.Core.Fleet.FleetOptions()),
            Options.Create(new FleetMemberOptions()), NullLogger<PeerForwarder>.Instance);
        using var handler = new InvocationHandler(gateway.Table, gateway.Pools, forwarder, Options.Create(gateway.Options), metrics, gateway.Time,
            gateway.Membership, gateway.Saturation(), peers, gateway.InFlight, NullLogger<InvocationHandler>.Instance);
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.RouteValues["function"] = "hello";
        context.Response.Body = new MemoryStream();

        var call = handler.InvokeAsync(context);
        await gateway.Lifecycle.WhenStartedAsync(1);
        var container = gateway.Lifecycle.Started[0];
        gateway.Lifecycle.Ready(container, timeout: TimeSpan.FromSeconds(1));
        var forwarding = await forwarder.Called;

        gateway.Time.Advance(TimeSpan.FromSeconds(1) + gateway.Options.TimeoutGrace - TimeSpan.FromMilliseconds(1));
        Assert.False(forwarding.IsCancellationRequested);
        gateway.Time.Advance(TimeSpan.FromMilliseconds(1));
        await call;

        Assert.Equal(StatusCodes.Status504GatewayTimeout, context.Response.StatusCode);
        Assert.Contains("\"FunctionTimedOut\"", Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()));
        Assert.Same(container, Assert.Single(gateway.Lifecycle.Removed));
    }

    /// <summary>A function that never answers: the forwarding ends only when its token is cancelled.</summary>
    private sealed class HangingForwarder : IHttpForwarder
    {
        private readonly TaskCompletionSource<CancellationToken> _called = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The token of the call being forwarded, once it is.</summary>
        public Task<CancellationToken> Called => _called.Task;

        public ValueTask<ForwarderError> SendAsync(HttpContext context, string destinationPrefix, HttpMessageInvoker httpClient,
            ForwarderRequestConfig requestConfig, HttpTransformer transformer) =>
            SendAsync(context, destinationPrefix, httpClient, requestConfig, transformer, CancellationToken.None);

        public async ValueTask<ForwarderError> SendAsync(HttpContext context, string destinationPrefix, HttpMessageInvoker httpClient,
            ForwarderRequestConfig requestConfig, HttpTransformer transformer, CancellationToken cancellationToken)
        {
            _called.SetResult(cancellationToken);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }

            return ForwarderError.RequestCanceled;
        }
    }
}
