using System.Text;
using Epsilon.Core.Fleet;
using Epsilon.Gateway.Fleet;
using Epsilon.Gateway.Pooling;
using Epsilon.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Epsilon.Gateway.Tests.Fleet;

/// <summary>A peer that advertises an https URL: verified against <see cref="FleetMemberOptions.PeerCaPath"/>.</summary>
public sealed class PeerForwarderTlsTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("epsilon-peer-tls-").FullName;
    private readonly TestCertificateAuthority _ca = new("Epsilon fleet CA");
    private readonly TestCertificateAuthority _otherCa = new("Some other CA");
    private WebApplication _peer = null!;

    public async Task InitializeAsync()
    {
        var (certificate, key) = _ca.WriteServerCertificate(_root, "peer");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseUrls("https://127.0.0.1:0");
        builder.Configuration["Kestrel:Certificates:Default:Path"] = certificate;
        builder.Configuration["Kestrel:Certificates:Default:KeyPath"] = key;
        builder.Logging.ClearProviders();
        _peer = builder.Build();
        _peer.MapGet("/hello/", () => "from the peer");
        await _peer.StartAsync();
    }

    [Fact]
    public async Task ForwardAsync_HttpsPeerSignedByTheConfiguredCa_ForwardsTheCall()
    {
        var (forwarded, context, hints, events) = await ForwardAsync(_ca.WriteCa(Path.Combine(_root, "fleet-ca.pem")));

        Assert.True(forwarded);
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal("from the peer", Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()));
        Assert.False(hints.IsUnreachable("peer"));
        Assert.Empty(events);
    }

    [Fact]
    public async Task ForwardAsync_HttpsPeerNotSignedByTheConfiguredCa_IsTakenAsUnreachableAndNothingIsAnswered()
    {
        var (forwarded, context, hints, events) = await ForwardAsync(_otherCa.WriteCa(Path.Combine(_root, "other-ca.pem")));

        // The handshake failed before the request was sent: the call stays free to be served here.
        Assert.False(forwarded);
        Assert.False(context.Response.HasStarted);
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal(0, context.Response.Body.Length);
        Assert.True(hints.IsUnreachable("peer"));
        // Logged as a certificate problem, not as a peer that is gone.
        Assert.Equal([5102], events);
    }

    [Fact]
    public void Validate_PeerCaPathThatIsNotPem_Fails()
    {
        var path = Path.Combine(_root, "not-a-ca.pem");
        File.WriteAllText(path, "not a certificate");

        var result = new FleetMemberOptionsValidator().Validate(null, new FleetMemberOptions { PeerCaPath = path });
        var missing = new FleetMemberOptionsValidator().Validate(null, new FleetMemberOptions { PeerCaPath = Path.Combine(_root, "missing.pem") });

        Assert.True(result.Failed);
        Assert.Contains("PeerCaPath", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(missing.Failed);
        Assert.Contains("PeerCaPath", missing.FailureMessage, StringComparison.Ordinal);
    }

    private async Task<(bool Forwarded, DefaultHttpContext Context, SaturationHints Hints, List<int> Events)> ForwardAsync(string caPath)
    {
        using var gateway = new PoolsHarness();
        await using var services = new ServiceCollection().AddLogging().AddHttpForwarder().BuildServiceProvider();
        var hints = new SaturationHints(gateway.Time, TimeSpan.FromSeconds(1));
        var logger = new EventIdLogger();
        using var peers = new PeerForwarder(services.GetRequiredService<IHttpForwarder>(), gateway.Membership, hints,
            Options.Create(new FleetOptions()), Options.Create(new FleetMemberOptions { PeerCaPath = caPath }), logger);
        var peer = new FleetPeer("peer", new Uri(_peer.Urls.First() + "/"), maxContainers: 10);
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "GET";
        context.Request.Path = "/hello/";
        context.Response.Body = new MemoryStream();
        var forwarded = await peers.ForwardAsync(context, peer, "hello");
        return (forwarded, context, hints, logger.Events);
    }

    private sealed class EventIdLogger : ILogger<PeerForwarder>
    {
        public List<int> Events { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Events.Add(eventId.Id);
    }

    public async Task DisposeAsync()
    {
        await _peer.DisposeAsync();
        _ca.Dispose();
        _otherCa.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
