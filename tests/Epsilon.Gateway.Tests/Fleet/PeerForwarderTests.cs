using System.Net;
using System.Net.Sockets;
using System.Text;
using Epsilon.Core.Fleet;
using Epsilon.Gateway.Fleet;
using Epsilon.Gateway.Pooling;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Epsilon.Gateway.Tests.Fleet;

/// <summary>With YARP's own forwarder: a peer that refuses the connection leaves the call free to be forwarded again.</summary>
public sealed class PeerForwarderTests
{
    [Fact]
    public async Task ForwardAsync_PeerRefusesTheConnection_ReportsItAndLeavesTheResponseUntouchedForTheLocalForward()
    {
        using var gateway = new PoolsHarness();
        await using var services = new ServiceCollection().AddLogging().AddHttpForwarder().BuildServiceProvider();
        var forwarder = services.GetRequiredService<IHttpForwarder>();
        var hints = new SaturationHints(gateway.Time, TimeSpan.FromSeconds(1));
        using var peers = new PeerForwarder(forwarder, gateway.Membership, hints, Options.Create(new FleetOptions()),
            Options.Create(new FleetMemberOptions()), NullLogger<PeerForwarder>.Instance);
        var closed = new FleetPeer("gone", new Uri($"http://127.0.0.1:{ClosedPort()}/"), maxContainers: 10);
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "GET";
        context.Request.Path = "/hello/";
        context.Response.Body = new MemoryStream();

        Assert.False(await peers.ForwardAsync(context, closed, "hello"));

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.False(context.Response.HasStarted);
        Assert.Equal(0, context.Response.Body.Length);
        Assert.True(hints.IsUnreachable("gone"));

        // The local forward YARP then makes must be allowed: it throws when it takes the response as already set.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serve = ServeOnceAsync(listener);
        using var client = new HttpMessageInvoker(new SocketsHttpHandler());
        var error = await forwarder.SendAsync(context, $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}", client);
        await serve;
        Assert.Equal(ForwarderError.None, error);
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal("served", Encoding.ASCII.GetString(((MemoryStream)context.Response.Body).ToArray()));
    }

    private static async Task ServeOnceAsync(TcpListener listener)
    {
        using var socket = await listener.AcceptSocketAsync();
        var buffer = new byte[4096];
        var request = new StringBuilder();
        while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer);
            request.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nserved"));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
