using Epsilon.Core.Contracts;
using System.Net;
using System.Net.Sockets;
using Epsilon.Core.Fleet;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

namespace Epsilon.Gateway.Fleet;

/// <summary>
/// Sends a call on to the peer gateway that serves it, marked so it is not forwarded again, and learns from the answer
/// whether that peer is saturated for the function. A peer that cannot be reached before anything was sent is reported
/// back, so the call is served here rather than failed. So is a peer whose https certificate does not verify against
/// <see cref="FleetMemberOptions.PeerCaPath"/>: the handshake fails before any of the call is sent.
/// </summary>
internal sealed partial class PeerForwarder : IDisposable
{
    private readonly IHttpForwarder _forwarder;
    private readonly FleetMembership _membership;
    private readonly SaturationHints _hints;
    private readonly IOptions<FleetOptions> _fleet;
    private readonly ILogger<PeerForwarder> _logger;
    private readonly HttpMessageInvoker _client;
    private readonly ForwarderRequestConfig _requestConfig = new() { ActivityTimeout = Timeout.InfiniteTimeSpan };

    public PeerForwarder(IHttpForwarder forwarder, FleetMembership membership, SaturationHints hints, IOptions<FleetOptions> fleet,
        IOptions<FleetMemberOptions> member, ILogger<PeerForwarder> logger)
    {
        _fleet = fleet;
        _forwarder = forwarder;
        _membership = membership;
        _hints = hints;
        _logger = logger;
        _client = new HttpMessageInvoker(new UnreachablePeerHandler(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = null,
            // A peer that does not accept within this is taken for gone; the call is served here instead.
            ConnectTimeout = TimeSpan.FromSeconds(1),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            MaxConnectionsPerServer = int.MaxValue,
            SslOptions = PeerCertificates.ClientOptions(member.Value.PeerCaPath) ?? new(),
        }));
    }

    /// <summary>Forwards the call in <paramref name="context"/> to <paramref name="peer"/>.</summary>
    /// <returns>False when the peer could not be reached and nothing was sent or answered: the caller serves the call itself.</returns>
    public async ValueTask<bool> ForwardAsync(HttpContext context, FleetPeer peer, string function)
    {
        var transformer = new PeerTransformer(_membership.SelfId, peer.Id, function, _hints);
        var error = await _forwarder.SendAsync(context, peer.Address.ToString(), _client, _requestConfig, transformer).ConfigureAwait(false);
        if (transformer.Unreachable is { } reason && !context.Response.HasStarted)
        {
            if (transformer.Untrusted)
            {
                // Not a peer that is gone but a fleet whose certificates or PeerCaPath disagree: worth an operator's look.
                Log.PeerUntrusted(_logger, peer.Id, function, reason);
            }
            else
            {
                Log.PeerUnreachable(_logger, peer.Id, function, reason);
            }

            // Gone, most likely: every call skips it until the fleet's heartbeat timeout has taken it out of the view.
            _hints.Unreachable(peer.Id, _fleet.Value.HeartbeatTimeout);
            return false;
        }

        if (error != ForwarderError.None && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            Log.ForwardFailed(_logger, peer.Id, function, error);
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
        }

        return true;
    }

    private static bool IsConnectFailure(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.TimedOut or SocketError.HostNotFound })
            {
                return true;
            }

            // The connect timeout surfaces as a cancellation inside HttpRequestException. A peer whose certificate does not
            // verify was sent nothing either (the handshake precedes the request), so serving the call here is as safe.
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError })
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose() => _client.Dispose();

    /// <summary>
    /// Turns a refused connection into an answer the transformer recognises, instead of an error YARP reports by writing
    /// its own 502: the call, of which nothing was sent, must stay free to be served here.
    /// </summary>
    private sealed class UnreachablePeerHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public const string Marker = "X-Epsilon-Peer-Unreachable";

        /// <summary>Set beside <see cref="Marker"/> when the peer's certificate did not verify.</summary>
        public const string UntrustedMarker = "X-Epsilon-Peer-Untrusted";

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (IsConnectFailure(ex) && !cancellationToken.IsCancellationRequested)
            {
                var response = new HttpResponseMessage(HttpStatusCode.BadGateway) { RequestMessage = request };
                // For a certificate that does not verify, the reason (untrusted root, name mismatch) is the inner one.
                var reason = ex.HttpRequestError == HttpRequestError.SecureConnectionError && ex.InnerException is { } inner
                    ? $"{ex.Message} {inner.Message}"
                    : ex.Message;
                reason = reason.ReplaceLineEndings(" ");
                response.Headers.TryAddWithoutValidation(Marker, reason);
                if (ex.HttpRequestError == HttpRequestError.SecureConnectionError)
                {
                    response.Headers.TryAddWithoutValidation(UntrustedMarker, "1");
                }

                return response;
            }
        }
    }

    /// <summary>Marks the call as forwarded, keeps its path, and reads the peer's saturation mark off the answer.</summary>
    private sealed class PeerTransformer(string selfId, string peerId, string function, SaturationHints hints) : HttpTransformer
    {
        /// <summary>Why the peer could not be reached, when it could not; nothing of the answer was copied then.</summary>
        public string? Unreachable { get; private set; }

        /// <summary>Whether the peer was unreachable because its certificate did not verify.</summary>
        public bool Untrusted { get; private set; }

        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix,
            CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
            proxyRequest.Headers.Remove(FleetHeaders.Home);
            proxyRequest.Headers.TryAddWithoutValidation(FleetHeaders.ForwardedBy, selfId);
        }

        public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
            CancellationToken cancellationToken)
        {
            if (proxyResponse is not null && proxyResponse.Headers.TryGetValues(UnreachablePeerHandler.Marker, out var reason))
            {
                // Copy nothing and send no body: the response stays unstarted for the local attempt. YARP has already set
                // the status from this answer, and refuses to forward a call whose status is not 200 (taking it as set).
                Unreachable = string.Join(' ', reason);
                Untrusted = proxyResponse.Headers.Contains(UnreachablePeerHandler.UntrustedMarker);
                httpContext.Response.StatusCode = StatusCodes.Status200OK;
                return false;
            }

            var copy = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);
            if (proxyResponse is not null && httpContext.Response.Headers.Remove(FleetHeaders.Saturated))
            {
                hints.Saturated(peerId, function);
            }

            return copy;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5100, Level = LogLevel.Warning, Message = "Gateway '{Peer}' could not be reached for function '{Function}' ({Reason}); serving here.")]
        public static partial void PeerUnreachable(ILogger logger, string peer, string function, string reason);

        [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Forwarding a call of function '{Function}' to gateway '{Peer}' failed ({Error}).")]
        public static partial void ForwardFailed(ILogger logger, string peer, string function, ForwarderError error);

        [LoggerMessage(EventId = 5102, Level = LogLevel.Error, Message = "Gateway '{Peer}' presented a certificate that does not verify against Epsilon:Gateway:Fleet:PeerCaPath or the machine's roots, for function '{Function}' ({Reason}); serving here.")]
        public static partial void PeerUntrusted(ILogger logger, string peer, string function, string reason);
    }
}
