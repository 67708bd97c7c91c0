using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Epsilon.Core.Fleet;
using Epsilon.Core.Model;
using Epsilon.Core.Store;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Epsilon.Gateway.Fleet;

/// <summary>
/// This gateway in the fleet: registers once it listens, heartbeats with its state and the revision its function table
/// serves (at once when that changes, so a waiting deploy hears it), keeps the <see cref="FleetView"/> of the live,
/// active gateways, and on stop drains (out of every ranking, health failing, calls under way finished) and leaves.
/// </summary>
internal sealed partial class FleetMembership(
    IFleetStore store,
    IServer server,
    InFlightCalls inFlight,
    IOptions<GatewayOptions> gateway,
    IOptions<FleetOptions> fleet,
    IOptions<FleetMemberOptions> member,
    TimeProvider timeProvider,
    ILogger<FleetMembership> logger) : BackgroundService, IHostedLifecycleService
{
    private readonly SemaphoreSlim _writing = new(1, 1);
    private volatile FleetView _view = FleetView.Empty;
    private volatile bool _draining;
    private long _servedRevision;
    private GatewayMember? _registration;

    /// <summary>This gateway's id.</summary>
    public string SelfId => gateway.Value.Id;

    /// <summary>The live, active gateways as of the last heartbeat round.</summary>
    public FleetView View => _view;

    /// <summary>The store revision this gateway's function table serves.</summary>
    public long ServedRevision => Interlocked.Read(ref _servedRevision);

    /// <summary>Whether calls are routed to their function's home gateway, or all served here.</summary>
    public bool RoutesToHome => member.Value.Routing == FleetRouting.Sticky;

    /// <summary>Whether the gateway is draining: its health check fails and it is in no ranking.</summary>
    public bool Draining => _draining;

    /// <summary>Records that the function table serves <paramref name="revision"/> and tells the fleet at once.</summary>
    public async Task AcknowledgeAsync(long revision, CancellationToken cancellationToken)
    {
        if (revision <= Interlocked.Read(ref _servedRevision))
        {
            return;
        }

        Interlocked.Exchange(ref _servedRevision, revision);
        if (_registration is not null)
        {
            await HeartbeatAsync(cancellationToken).ConfigureAwait(false);
            await store.SignalAsync(StoreSignal.RevisionServed, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Registers once the server listens, so the advertised address is the one it bound.</summary>
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var options = member.Value;
        _registration = new GatewayMember
        {
            Id = SelfId,
            Address = AdvertisedUrl(),
            MaxContainers = options.ResolveMaxContainers(),
            MaxMemoryBytes = options.ResolveMaxMemoryBytes(),
            State = GatewayState.Active,
            StartedAt = timeProvider.GetUtcNow(),
            HeartbeatAt = timeProvider.GetUtcNow(),
            ServedRevision = Interlocked.Read(ref _servedRevision),
        };
        await store.RegisterGatewayAsync(_registration, cancellationToken).ConfigureAwait(false);
        await RefreshViewAsync(cancellationToken).ConfigureAwait(false);
        Log.Registered(logger, SelfId, _registration.Address, _registration.MaxContainers, _registration.MaxMemoryBytes >> 20);
        await store.SignalAsync(StoreSignal.RevisionServed, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(fleet.Value.HeartbeatInterval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (_registration is null)
            {
                continue;
            }

            try
            {
                await HeartbeatAsync(stoppingToken).ConfigureAwait(false);
                await RefreshViewAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The store is away: keep routing on the last view; peers that stop heartbeating age out of it on return.
                Log.HeartbeatFailed(logger, ex.Message);
            }
        }
    }

    /// <summary>
    /// The drain: out of every ranking (peers see the state at their next round), the health check failing (the balancer
    /// stops sending), then the calls under way finish, each step bounded, before the server stops listening.
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        var options = member.Value;
        Log.Draining(logger, SelfId, options.DrainDelay.TotalSeconds);
        try
        {
            await HeartbeatAsync(cancellationToken).ConfigureAwait(false);
            await RefreshViewAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.HeartbeatFailed(logger, ex.Message);
        }

        try
        {
            await Task.Delay(options.DrainDelay, timeProvider, cancellationToken).ConfigureAwait(false);
            await inFlight.WhenIdleAsync().WaitAsync(options.DrainTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.DrainTimedOut(logger, inFlight.Count, options.DrainTimeout.TotalSeconds);
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_registration is null)
        {
            return;
        }

        try
        {
            await store.DeregisterGatewayAsync(SelfId, cancellationToken).ConfigureAwait(false);
            Log.Deregistered(logger, SelfId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Its heartbeat stops too: the fleet drops it after the heartbeat timeout.
            Log.HeartbeatFailed(logger, ex.Message);
        }
    }

    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = _draining ? GatewayState.Draining : GatewayState.Active;
            var revision = Interlocked.Read(ref _servedRevision);
            if (!await store.HeartbeatAsync(SelfId, state, revision, cancellationToken).ConfigureAwait(false) && _registration is { } registration)
            {
                // Deregistered while alive (a peer's clean-up, an operator): register again.
                await store.RegisterGatewayAsync(registration with { State = state, ServedRevision = revision }, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task RefreshViewAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var members = await store.ListGatewaysAsync(cancellationToken).ConfigureAwait(false);
        var peers = new List<FleetPeer>(members.Count);
        foreach (var m in members)
        {
            if (m.State != GatewayState.Active || !fleet.Value.IsLive(m, now) || (m.Id == SelfId && _draining))
            {
                continue;
            }

            if (Uri.TryCreate(m.Address, UriKind.Absolute, out var address))
            {
                peers.Add(new FleetPeer(m.Id, address, m.MaxContainers));
            }
        }

        var previous = _view;
        _view = new FleetView(peers);
        if (previous.Peers.Count != peers.Count || !previous.Peers.Select(p => p.Id).SequenceEqual(peers.Select(p => p.Id)))
        {
            Log.ViewChanged(logger, string.Join(", ", peers.Select(p => p.Id)));
        }
    }

    private string AdvertisedUrl()
    {
        if (member.Value.AdvertisedUrl is { Length: > 0 } configured)
        {
            return configured.TrimEnd('/');
        }

        var bound = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("the server has no address; set Epsilon:Gateway:Fleet:AdvertisedUrl");
        var uri = new UriBuilder(bound.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = HostAddress()?.ToString() ?? "127.0.0.1";
        }

        return uri.Uri.ToString().TrimEnd('/');
    }

    private static IPAddress? HostAddress() => NetworkInterface.GetAllNetworkInterfaces()
        .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback
            && !n.Name.StartsWith("docker", StringComparison.Ordinal) && !n.Name.StartsWith("br-", StringComparison.Ordinal)
            && !n.Name.StartsWith("veth", StringComparison.Ordinal))
        .SelectMany(n => n.GetIPProperties().UnicastAddresses)
        .Select(a => a.Address)
        .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));

    public override void Dispose()
    {
        _writing.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5000, Level = LogLevel.Information,
            Message = "Gateway '{Gateway}' joined the fleet at '{Address}' with room for {MaxContainers} container(s) and {MaxMemoryMiB} MiB.")]
        public static partial void Registered(ILogger logger, string gateway, string address, int maxContainers, long maxMemoryMiB);

        [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Fleet heartbeat failed: {Reason}")]
        public static partial void HeartbeatFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Fleet members: {Members}.")]
        public static partial void ViewChanged(ILogger logger, string members);

        [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Gateway '{Gateway}' is draining for {Seconds} s before it stops listening.")]
        public static partial void Draining(ILogger logger, string gateway, double seconds);

        [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Drain ended with {Count} call(s) still under way after {Seconds} s.")]
        public static partial void DrainTimedOut(ILogger logger, int count, double seconds);

        [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "Gateway '{Gateway}' left the fleet.")]
        public static partial void Deregistered(ILogger logger, string gateway);
    }
}
